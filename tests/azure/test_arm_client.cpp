// ArmClient and BatchAiReader over the full pipeline, against a scripted ARM (FakeServer).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "azure/arm_client.hpp"
#include "azure/arm_pipeline.hpp"
#include "azure/batchai_reader.hpp"
#include "config/batchai_id.hpp"
#include "tests/azure/fakes.hpp"

using namespace bai2aml::azure;
using namespace bai2aml::azure::test;
using nlohmann::json;

namespace {

const std::string kArm = "https://arm.example";
const std::string kId =
    "/subscriptions/s1/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/w/computes/c";

struct Fixture {
  boost::asio::io_context io;
  FakeServer server;
  std::shared_ptr<RequestCounters> counters = std::make_shared<RequestCounters>();
  std::unique_ptr<ArmClient> client;
  explicit Fixture(FakeServer::Handler h) : server(io, std::move(h)) {
    RetryOptions retry;
    retry.base_delay = std::chrono::milliseconds(5);
    ArmClientOptions options;
    options.default_poll_interval = std::chrono::milliseconds(10);
    options.min_poll_interval = std::chrono::milliseconds(10);
    auto pipeline = make_arm_pipeline(io, TransportOptions{}, retry, ThrottleOptions{},
                                      std::make_shared<CountingCredential>(), counters, server.transport());
    client = std::make_unique<ArmClient>(io, kArm, std::move(pipeline), options);
  }
  template <class T, class E = ArmError, class Start>
  Result<T, E> run(Start start) {
    std::optional<Result<T, E>> out;
    start([&](Result<T, E> r) { out.emplace(std::move(r)); });
    run_until(io, [&] { return out.has_value(); });
    REQUIRE(out);
    return *out;
  }
};

std::string path_of(const std::string& url) {
  auto u = parse_url(url);
  return u ? u->path_and_query : url;
}

}  // namespace

TEST_CASE("get: adds the api-version of the provider and the bearer token - 404 is an error with its code") {
  Fixture f([](const Request& r) -> Result<Response> {
    if (r.url.find("/computes/c?") != std::string::npos) return reply(200, R"({"id":"x","name":"c"})");
    return reply(404, R"({"error":{"code":"ResourceNotFound","message":"nope"}})");
  });
  auto got = f.run<json>([&](auto done) { f.client->get(kId, done); });
  REQUIRE(got.ok());
  CHECK(got.value()["name"] == "c");
  CHECK(f.server.requests[0].url == kArm + kId + "?api-version=2024-04-01");
  CHECK(f.server.requests[0].headers.at("Authorization") == "Bearer token-1");
  auto missing = f.run<json>([&](auto done) { f.client->get(kId + "x", done); });
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().http_status == 404);
  CHECK(missing.error().code == "ResourceNotFound");
  CHECK_FALSE(missing.error().request_id.empty());
}

TEST_CASE("get: a malformed body is a clear InvalidResponse naming the call") {
  Fixture f([](const Request&) -> Result<Response> { return reply(200, "{\"id\": tru"); });
  auto got = f.run<json>([&](auto done) { f.client->get(kId, done); });
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().code == errc::kInvalidResponse);
  CHECK(got.error().message.find("GET " + kArm + kId) != std::string::npos);
}

TEST_CASE("list: follows nextLink across many pages - refuses a nextLink off the ARM endpoint") {
  const int pages = 25;
  Fixture f([&](const Request& r) -> Result<Response> {
    int page = 0;
    const auto pos = r.url.find("page=");
    if (pos != std::string::npos) page = std::stoi(r.url.substr(pos + 5));
    json body{{"value", json::array({{{"id", "item-" + std::to_string(2 * page)}}, {{"id", "item-" + std::to_string(2 * page + 1)}}})}};
    if (page + 1 < pages) body["nextLink"] = kArm + "/subscriptions/s1/x?api-version=1&page=" + std::to_string(page + 1);
    return reply(200, body.dump());
  });
  auto all = f.run<std::vector<json>>([&](auto done) { f.client->list("/subscriptions/s1/providers/Microsoft.BatchAI/workspaces", done); });
  REQUIRE(all.ok());
  REQUIRE(all.value().size() == 2 * pages);
  CHECK(all.value().back()["id"] == "item-" + std::to_string(2 * pages - 1));
  CHECK(f.server.requests.size() == static_cast<std::size_t>(pages));
  CHECK(f.server.requests[0].url == kArm + "/subscriptions/s1/providers/Microsoft.BatchAI/workspaces?api-version=2018-05-01");

  Fixture evil([](const Request&) -> Result<Response> {
    return reply(200, R"({"value":[],"nextLink":"https://attacker.example/steal"})");
  });
  auto r = evil.run<std::vector<json>>([&](auto done) { evil.client->list("/subscriptions/s1/x", done); });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == errc::kInvalidUrl);
  CHECK(evil.server.requests.size() == 1);

  Fixture novalue([](const Request&) -> Result<Response> { return reply(200, R"({"items":[]})"); });
  auto r2 = novalue.run<std::vector<json>>([&](auto done) { novalue.client->list("/subscriptions/s1/x", done); });
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message.find("\"value\" array") != std::string::npos);
}

TEST_CASE("LRO: PUT 201 + Azure-AsyncOperation is polled to Succeeded, then the resource is read back") {
  int polls = 0;
  Fixture f([&](const Request& r) -> Result<Response> {
    const auto p = path_of(r.url);
    if (r.method == "PUT") {
      return reply(201, R"({"id":"x","properties":{"provisioningState":"Creating"}})",
                   {{"Azure-AsyncOperation", kArm + "/subscriptions/s1/operations/op1?api-version=2024-04-01"},
                    {"Retry-After", "0"}});
    }
    if (p.find("/operations/op1") != std::string::npos) {
      return reply(200, ++polls < 3 ? R"({"status":"InProgress"})" : R"({"status":"Succeeded"})");
    }
    return reply(200, R"({"id":"x","properties":{"provisioningState":"Succeeded"}})");
  });
  std::optional<OperationToken> journalled;
  auto out = f.run<WriteOutcome>([&](auto done) {
    f.client->put(kId, json{{"properties", json::object()}}, done, [&](const OperationToken& t) { journalled = t; });
  });
  REQUIRE(out.ok());
  CHECK(out.value().done);
  CHECK(out.value().resource["properties"]["provisioningState"] == "Succeeded");
  REQUIRE(journalled);
  CHECK(journalled->kind == OperationKind::Put);
  CHECK(journalled->resource_id == kId);
  CHECK(journalled->poll_url.find("/operations/op1") != std::string::npos);
  CHECK(polls == 3);
  CHECK(f.server.requests.back().method == "GET");
  CHECK(path_of(f.server.requests.back().url) == kId + "?api-version=2024-04-01");
}

TEST_CASE("LRO: with ReadBack::None a Succeeded operation is done without reading the resource back") {
  int polls = 0;
  Fixture f([&](const Request& r) -> Result<Response> {
    if (r.method == "PUT") {
      return reply(201, "", {{"Azure-AsyncOperation", kArm + "/subscriptions/s1/operations/op5"}, {"Retry-After", "0"}});
    }
    if (r.url.find("/operations/op5") != std::string::npos) {
      ++polls;
      return reply(200, polls % 2 ? R"({"status":"InProgress"})" : R"({"status":"Succeeded"})");
    }
    return reply(200, R"({"id":"x"})");
  });
  auto begun = f.run<WriteOutcome>([&](auto done) { f.client->begin_put(kId, json::object(), done); });
  REQUIRE(begun.ok());
  REQUIRE(begun.value().operation);
  const auto token = *begun.value().operation;
  auto out = f.run<WriteOutcome>([&](auto done) { f.client->wait(token, done, ReadBack::None); });
  REQUIRE(out.ok());
  CHECK(out.value().done);
  CHECK(out.value().resource.is_null());
  CHECK(polls == 2);
  for (const auto& r : f.server.requests) CHECK((r.method == "PUT" || r.url.find("/operations/op5") != std::string::npos));
  // By default the resource is still read back.
  auto read = f.run<WriteOutcome>([&](auto done) { f.client->wait(token, done); });
  REQUIRE(read.ok());
  CHECK(read.value().resource["id"] == "x");
  CHECK(f.server.requests.back().url == kArm + kId + "?api-version=2024-04-01");
}

TEST_CASE("LRO: a Failed operation gives its error code, classified") {
  Fixture f([&](const Request& r) -> Result<Response> {
    if (r.method == "PUT") return reply(201, "", {{"Azure-AsyncOperation", kArm + "/subscriptions/s1/operations/op2"}});
    return reply(200, R"({"status":"Failed","error":{"code":"QuotaExceeded","message":"no cores left"}})");
  });
  auto out = f.run<WriteOutcome>([&](auto done) { f.client->put(kId, json::object(), done); });
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == "QuotaExceeded");
  CHECK(out.error().message.find("no cores left") != std::string::npos);
  CHECK(out.error().message.find("Failed") != std::string::npos);

  Fixture canceled([&](const Request& r) -> Result<Response> {
    if (r.method == "DELETE") return reply(202, "", {{"Azure-AsyncOperation", kArm + "/subscriptions/s1/operations/op3"}});
    return reply(200, R"({"status":"Canceled"})");
  });
  auto c = canceled.run<WriteOutcome>([&](auto done) { canceled.client->remove(kId, done); });
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == errc::kOperationCanceled);
}

TEST_CASE("LRO: resume by token after a restart (a new client), via Location") {
  int location_polls = 0;
  auto handler = [&](const Request& r) -> Result<Response> {
    if (r.method == "DELETE") return reply(202, "", {{"Location", kArm + "/subscriptions/s1/operationResults/op4"}, {"Retry-After", "1"}});
    if (r.url.find("operationResults/op4") != std::string::npos) {
      return ++location_polls < 2 ? reply(202, "", {{"Retry-After", "0"}}) : reply(204);
    }
    return reply(500);
  };
  std::string journal;
  {
    Fixture first(handler);
    auto begun = first.run<WriteOutcome>([&](auto done) { first.client->begin_delete(kId, done); });
    REQUIRE(begun.ok());
    REQUIRE_FALSE(begun.value().done);
    CHECK(begun.value().retry_after == std::chrono::seconds(1));
    journal = begun.value().operation->to_json();
  }  // the process "restarts"
  Fixture second(handler);
  const auto token = OperationToken::from_json(journal);
  REQUIRE(token);
  auto step = second.run<WriteOutcome>([&](auto done) { second.client->poll(*token, done); });
  REQUIRE(step.ok());
  CHECK_FALSE(step.value().done);
  auto finished = second.run<WriteOutcome>([&](auto done) { second.client->wait(*token, done); });
  REQUIRE(finished.ok());
  CHECK(finished.value().done);
  CHECK(finished.value().resource.is_null());
  CHECK(location_polls == 2);
}

TEST_CASE("writes: synchronous 200, DELETE of a missing resource, terminal 400 not retried, 409 retryable") {
  int puts = 0;
  Fixture f([&](const Request& r) -> Result<Response> {
    if (r.method == "PUT" && r.url.find("/bad") != std::string::npos) {
      ++puts;
      return reply(400, R"({"error":{"code":"InvalidParameter","message":"vmSize is invalid"}})");
    }
    if (r.method == "PUT" && r.url.find("/busy") != std::string::npos) {
      return reply(409, R"({"error":{"code":"AnotherOperationInProgress","message":"wait"}})");
    }
    if (r.method == "PUT") return reply(200, R"({"id":"x","properties":{"provisioningState":"Succeeded"}})");
    if (r.method == "DELETE") return reply(404, R"({"error":{"code":"ResourceNotFound","message":"gone"}})");
    return reply(500);
  });
  auto ok = f.run<WriteOutcome>([&](auto done) { f.client->begin_put(kId, json::object(), done); });
  REQUIRE(ok.ok());
  CHECK(ok.value().done);
  CHECK(ok.value().http_status == 200);
  CHECK(f.server.requests[0].body == "{}");
  CHECK(f.server.requests[0].headers.at("Content-Type") == "application/json");
  auto gone = f.run<WriteOutcome>([&](auto done) { f.client->begin_delete(kId, done); });
  REQUIRE(gone.ok());
  CHECK(gone.value().done);
  auto bad = f.run<WriteOutcome>([&](auto done) { f.client->put(kId + "/bad", json::object(), done); });
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "InvalidParameter");
  CHECK_FALSE(bad.error().retryable);
  CHECK(puts == 1);
  auto busy = f.run<WriteOutcome>([&](auto done) { f.client->put(kId + "/busy", json::object(), done); });
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.error().retryable);
  CHECK(f.counters->count("PUT", "400") == 1);
}

TEST_CASE("request id: a write names ARM's x-ms-request-id - an LRO the write's, also resumed - else the client id") {
  int polls = 0;
  Fixture f([&](const Request& r) -> Result<Response> {
    const auto p = path_of(r.url);
    if (r.method == "PUT" && p.find("/sync") != std::string::npos) {
      return reply(200, R"({"id":"x"})", {{"x-ms-request-id", "arm-put-sync"}});
    }
    if (r.method == "PUT" && p.find("/busy") != std::string::npos) {
      return reply(409, R"({"error":{"code":"Conflict","message":"wait"}})", {{"x-ms-request-id", "arm-put-409"}});
    }
    if (r.method == "PUT" && p.find("/quiet") != std::string::npos) return reply(200, R"({"id":"x"})");
    if (r.method == "PUT") {
      return reply(201, "", {{"Azure-AsyncOperation", kArm + "/subscriptions/s1/operations/op9"}, {"Retry-After", "0"},
                             {"x-ms-request-id", "arm-put-lro"}});
    }
    if (p.find("/operations/op9") != std::string::npos) {
      ++polls;
      return reply(200, polls % 2 ? R"({"status":"InProgress"})" : R"({"status":"Succeeded"})",
                   {{"x-ms-request-id", "arm-poll-" + std::to_string(polls)}});
    }
    return reply(200, R"({"id":"x"})", {{"x-ms-request-id", "arm-get"}});
  });
  auto sync = f.run<WriteOutcome>([&](auto done) { f.client->begin_put(kId + "/sync", json::object(), done); });
  REQUIRE(sync.ok());
  CHECK(sync.value().request_id == "arm-put-sync");

  auto busy = f.run<WriteOutcome>([&](auto done) { f.client->begin_put(kId + "/busy", json::object(), done); });
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.error().request_id == "arm-put-409");

  std::optional<OperationToken> journalled;
  auto lro = f.run<WriteOutcome>([&](auto done) {
    f.client->put(kId, json::object(), done, [&](const OperationToken& t) { journalled = t; });
  });
  REQUIRE(lro.ok());
  CHECK(lro.value().done);
  CHECK(lro.value().request_id == "arm-put-lro");
  REQUIRE(journalled);
  CHECK(journalled->request_id == "arm-put-lro");

  // Resumed from the journal after a restart, the operation still names its PUT; a token journalled
  // before tokens kept the id names the poll that ended it.
  const auto resumed = OperationToken::from_json(journalled->to_json());
  REQUIRE(resumed);
  auto again = f.run<WriteOutcome>([&](auto done) { f.client->wait(*resumed, done); });
  REQUIRE(again.ok());
  CHECK(again.value().request_id == "arm-put-lro");
  auto old = *resumed;
  old.request_id.clear();
  auto old_done = f.run<WriteOutcome>([&](auto done) { f.client->wait(old, done); });
  REQUIRE(old_done.ok());
  CHECK(old_done.value().request_id == "arm-poll-" + std::to_string(polls));

  // No x-ms-request-id: the client request id the pipeline sent.
  auto quiet = f.run<WriteOutcome>([&](auto done) { f.client->begin_put(kId + "/quiet", json::object(), done); });
  REQUIRE(quiet.ok());
  CHECK(quiet.value().request_id == f.server.requests.back().headers.at("x-ms-client-request-id"));
  CHECK_FALSE(quiet.value().request_id.empty());
}

TEST_CASE("LRO: an operation URL off the ARM endpoint is refused (the token would leak)") {
  Fixture f([&](const Request&) -> Result<Response> {
    return reply(201, "", {{"Azure-AsyncOperation", "https://elsewhere.example/op"}});
  });
  auto out = f.run<WriteOutcome>([&](auto done) { f.client->begin_put(kId, json::object(), done); });
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == errc::kInvalidResponse);
  CHECK(out.error().message.find("elsewhere.example") != std::string::npos);
}

TEST_CASE("reader: lists workspaces, then clusters/fileServers/experiments, then jobs - LIST calls only") {
  const std::string sub = "/subscriptions/s1";
  const std::string ws = sub + "/resourceGroups/g/providers/Microsoft.BatchAI/workspaces/w";
  Fixture f([&](const Request& r) -> Result<Response> {
    const auto p = path_of(r.url);
    const auto item = [](const std::string& id) { return json{{"id", id}, {"name", id.substr(id.rfind('/') + 1)}}; };
    json value = json::array();
    if (p.rfind(sub + "/providers/Microsoft.BatchAI/workspaces?", 0) == 0) value.push_back(item(ws));
    else if (p.rfind(ws + "/clusters?", 0) == 0) value = {item(ws + "/clusters/c1"), item(ws + "/clusters/c2")};
    else if (p.rfind(ws + "/fileServers?", 0) == 0) value = {item(ws + "/fileServers/f1")};
    else if (p.rfind(ws + "/experiments?", 0) == 0) value = {item(ws + "/experiments/e1"), item(ws + "/experiments/e2")};
    else if (p.rfind(ws + "/experiments/e1/jobs?", 0) == 0) value = {item(ws + "/experiments/e1/jobs/j1")};
    else if (p.rfind(ws + "/experiments/e2/jobs?", 0) == 0) value = {item(ws + "/experiments/e2/jobs/j2")};
    else return reply(404, R"({"error":{"code":"NotFound","message":"?"}})");
    return reply(200, json{{"value", value}}.dump());
  });
  bai2aml::config::Source source;
  source.subscription_id = "s1";
  BatchAiReader reader(*f.client, source, 2);
  auto inv = f.run<Inventory, SourceUnavailable>([&](auto done) { reader.read(done); });
  REQUIRE(inv.ok());
  std::vector<std::string> kinds;
  for (const auto& r : inv.value().resources) {
    kinds.push_back(to_string(bai2aml::config::parse_batchai_id(r["id"].get<std::string>()).kind));
  }
  CHECK(kinds == std::vector<std::string>{"workspace", "cluster", "cluster", "file server", "experiment", "experiment", "job", "job"});
  for (const auto& r : f.server.requests) CHECK(r.method == "GET");
  CHECK(f.server.requests.size() == 6);
}

TEST_CASE("reader: unreadable sources are typed (401, retired, network)") {
  const auto read_with = [](int status, const std::string& body, bool drop) {
    Fixture f([=](const Request&) -> Result<Response> {
      if (drop) return dropped();
      return reply(status, body);
    });
    bai2aml::config::Source source;
    source.subscription_id = "s1";
    source.resource_groups = {"g1", "g2"};
    BatchAiReader reader(*f.client, source);
    auto inv = f.run<Inventory, SourceUnavailable>([&](auto done) { reader.read(done); });
    REQUIRE_FALSE(inv.ok());
    CHECK(f.server.requests[0].url.find("/subscriptions/s1/resourceGroups/g") != std::string::npos);
    return inv.error();
  };
  auto e401 = read_with(401, R"({"error":{"code":"AuthenticationFailed","message":"no"}})", false);
  CHECK(e401.reason == SourceUnavailable::Reason::Unauthorized);
  CHECK(e401.message.find("listing workspaces") != std::string::npos);
  CHECK(read_with(403, "", false).reason == SourceUnavailable::Reason::Unauthorized);
  CHECK(read_with(404, R"({"error":{"code":"NoRegisteredProviderFound","message":"gone"}})", false).reason ==
        SourceUnavailable::Reason::Retired);
  CHECK(read_with(410, "", false).reason == SourceUnavailable::Reason::Retired);
  CHECK(read_with(0, "", true).reason == SourceUnavailable::Reason::Network);
  CHECK(read_with(503, "", false).reason == SourceUnavailable::Reason::Network);
}

// issue 14: a deeply nested answer used to be accepted, and the observer's normalization, the secret
// scrub and every dump then recursed once per level: a stack overflow, again at every restart.
TEST_CASE("get and list: an answer nested deeper than 64 levels is an InvalidResponse naming the limit", "[bounds]") {
  const std::string deep = R"({"id":"x","name":"c","properties":{"tags":)" + std::string(200000, '[') +
                           std::string(200000, ']') + "}}";
  Fixture f([&](const Request& r) -> Result<Response> {
    if (r.url.find("/computes?") != std::string::npos) return reply(200, "{\"value\":[" + deep + "]}");
    return reply(200, deep);
  });
  auto got = f.run<json>([&](auto done) { f.client->get(kId, done); });
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().code == errc::kInvalidResponse);
  CHECK(got.error().message.find("nested deeper than 64 levels") != std::string::npos);
  const std::string collection = kId.substr(0, kId.rfind('/'));
  auto listed = f.run<std::vector<json>>([&](auto done) { f.client->list(collection, done); });
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().message.find("nested deeper than 64 levels") != std::string::npos);
}

// issue 14, found by arm_response_fuzzer: nlohmann's parse error quotes the bytes it stopped at, so
// a garbled answer made an error message that was not UTF-8, and the first strict dump of it (the
// status file, plan --json, the report) threw type_error.316.
TEST_CASE("get: a malformed body with bytes that are not UTF-8 gives an error message that is", "[bounds]") {
  Fixture f([](const Request&) -> Result<Response> { return reply(200, "{\"id\": u\xff\xfe\xe2\x82}"); });
  auto got = f.run<json>([&](auto done) { f.client->get(kId, done); });
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().code == errc::kInvalidResponse);
  CHECK_NOTHROW(json(got.error().to_string()).dump());
}
