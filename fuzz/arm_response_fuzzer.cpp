// libFuzzer target: ARM answers as bai2aml handles them. The input scripts a server: ArmClient runs
// one call (GET, LIST with nextLink paging, PUT or DELETE with long-running-operation polling, or
// the poll of a journalled operation token) through a pipeline whose transport answers from the
// input; every resource that comes back is normalized as the observer does, and every answer is
// also read as an ARM error body. Exceptions escaping, hangs and sanitizer reports are bugs.
//
// Input: byte 0 chooses the call; then answers separated by 0x1E, each
//   [status byte][flags byte][body...]
// status: 200 201 202 204 404 409 429 500 (byte % 8); flags: bit 0 Azure-AsyncOperation, bit 1
// Location (both on the ARM endpoint), bit 2 off the endpoint instead, bit 3 the body's first line is
// a Retry-After value. Requests beyond the script get 404. fuzz/make_seeds.py writes seeds this way.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "azure/arm_client.hpp"
#include "azure/arm_error.hpp"
#include "azure/operation_token.hpp"
#include "reconcile/normalize.hpp"

namespace {

using namespace bai2aml;
using nlohmann::json;

const std::string kArm = "https://arm.example";
const std::string kId =
    "/subscriptions/s1/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w/computes/c";

std::vector<azure::Response> script(const std::string& input) {
  static const int kStatus[] = {200, 201, 202, 204, 404, 409, 429, 500};
  std::vector<azure::Response> out;
  std::size_t pos = 0;
  while (pos < input.size() && out.size() < 64) {
    auto end = input.find('\x1e', pos);
    if (end == std::string::npos) end = input.size();
    const std::string part = input.substr(pos, end - pos);
    pos = end + 1;
    azure::Response r;
    r.status = kStatus[part.empty() ? 0 : static_cast<unsigned char>(part[0]) % 8];
    const unsigned flags = part.size() > 1 ? static_cast<unsigned char>(part[1]) : 0;
    std::string body = part.size() > 2 ? part.substr(2) : "";
    const std::string host = flags & 4 ? "https://elsewhere.example" : kArm;
    if (flags & 1) r.headers["Azure-AsyncOperation"] = host + "/subscriptions/s1/providers/x/operations/op1?api-version=1";
    if (flags & 2) r.headers["Location"] = host + "/subscriptions/s1/providers/x/operationResults/op1?api-version=1";
    if (flags & 8) {
      const auto nl = body.find('\n');
      r.headers["Retry-After"] = body.substr(0, nl);
      body = nl == std::string::npos ? "" : body.substr(nl + 1);
    }
    r.headers["x-ms-request-id"] = "req-" + std::to_string(out.size());
    r.body = std::move(body);
    out.push_back(std::move(r));
  }
  return out;
}

void inspect(const json& resource) {
  for (auto kind : {translate::Kind::Compute, translate::Kind::Job, translate::Kind::Workspace})
    (void)reconcile::differences(reconcile::normalize(kind, resource), reconcile::normalize(kind, resource));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int call = data[0] % 5;
  auto answers = script(input);
  for (const auto& a : answers) {
    const auto e = azure::error_from_response(a);
    (void)json(e.to_string()).dump();  // strict: the message must be valid UTF-8
  }

  boost::asio::io_context io;
  std::size_t next = 0;
  auto transport = std::make_unique<azure::FunctionTransport>([&](azure::Request, azure::ResponseCallback done) {
    azure::Response r;
    if (next < answers.size()) r = answers[next];
    else r.status = 404;
    ++next;
    boost::asio::post(io, [done = std::move(done), r = std::move(r)]() { done(r); });
  });
  azure::ArmClientOptions options;
  options.default_poll_interval = options.min_poll_interval = options.max_poll_interval = std::chrono::milliseconds(0);
  options.max_pages = 50;
  azure::ArmClient client(io, kArm, azure::Pipeline({}, std::move(transport)), options);

  bool finished = false;
  const auto on_write = [&](azure::Result<azure::WriteOutcome> r) {
    finished = true;
    if (r.ok()) inspect(r.value().resource);
    else (void)json(r.error().to_string()).dump();
  };
  switch (call) {
    case 0:
      client.get(kId, [&](azure::Result<json> r) {
        finished = true;
        if (r.ok()) inspect(r.value());
      });
      break;
    case 1:
      client.list(kId.substr(0, kId.rfind('/')), [&](azure::Result<std::vector<json>> r) {
        finished = true;
        if (r.ok())
          for (const auto& item : r.value()) inspect(item);
      });
      break;
    case 2: client.put(kId, json{{"properties", {{"computeType", "AmlCompute"}}}}, on_write); break;
    case 3: client.remove(kId, on_write); break;
    case 4: {
      // A token as the journal holds it, from the first answer's body.
      const auto token = azure::OperationToken::from_json(answers.empty() ? "" : answers.front().body);
      if (!token) return 0;
      client.wait(*token, on_write);
      break;
    }
  }
  // Every call completes; a bounded script means a bounded number of handlers.
  for (int steps = 0; !finished && steps < 100000; ++steps)
    if (io.run_one() == 0) break;
  if (!finished) __builtin_trap();
  return 0;
}
