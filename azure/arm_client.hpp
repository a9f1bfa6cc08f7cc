// ArmClient: the resource-level ARM client the reconciler and the Batch AI reader use. Ids are ARM
// resource ids ("/subscriptions/.../providers/..."); the api-version is chosen from the provider
// (api_versions.hpp). Asynchronous: every call completes exactly once, on the io_context thread,
// with a Result (never an exception). Calls in flight keep the client's internals alive.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "azure/operation_token.hpp"
#include "azure/pipeline.hpp"
#include "azure/policies/retry_policy.hpp"
#include "azure/policies/throttle_policy.hpp"
#include "azure/request_counters.hpp"
#include "azure/result.hpp"
#include "azure/transport.hpp"
#include "config/config.hpp"

namespace boost::asio {
class io_context;
}

namespace bai2aml::azure {

class TokenCredential;

template <class T>
using Callback = std::function<void(Result<T>)>;

struct ArmClientOptions {
  RetryOptions retry;
  ThrottleOptions throttle;
  std::chrono::seconds timeout{60};  // per HTTP request
  std::chrono::milliseconds default_poll_interval{5000};  // LRO polling when no Retry-After is given
  std::chrono::milliseconds min_poll_interval{1000};      // floor, also for "Retry-After: 0"
  std::chrono::milliseconds max_poll_interval{kMaxServerDelay};  // cap on a server-given Retry-After
  int max_pages = 100000;  // a LIST stops with InvalidResponse beyond this (nextLink loop guard)
};

// What poll/wait do once a PUT or PATCH (or a POST with a Location) has Succeeded.
enum class ReadBack {
  Resource,  // GET what it produced into WriteOutcome::resource: one more read per operation
  None,      // no GET, resource stays null: for callers that learn the state otherwise (the
             // reconciler LISTs every collection each cycle), as the read-back is about half the
             // reads of a cold migration
};

// The result of a write or of one poll step.
struct WriteOutcome {
  bool done = false;          // true: the operation reached Succeeded (or the write was synchronous)
  int http_status = 0;        // status of the last response seen
  nlohmann::json resource;    // done: the resource as ARM returns it (null for DELETE or an empty body)
  std::optional<OperationToken> operation;  // !done: persist it, then poll(token) or wait(token)
  std::chrono::milliseconds retry_after{0};  // !done: when to poll next (server's Retry-After or the default)
  // The id ARM knows the write by (Response::arm_request_id() of the PUT/PATCH/DELETE/POST; for a
  // poll, the one its token carries, or the poll's own when the token has none).
  std::string request_id;
};

class ArmClient {
 public:
  // Production: the standard pipeline (request-id, user-agent, retry, throttle, bearer auth, log,
  // cpprestsdk transport) and the credential chosen by azure.auth. No I/O happens here.
  ArmClient(boost::asio::io_context& io, const config::Azure& azure, ArmClientOptions options = {},
            std::shared_ptr<RequestCounters> counters = nullptr);
  // Any pipeline (tests, tools). arm_endpoint: scheme://host[:port], no trailing slash.
  ArmClient(boost::asio::io_context& io, std::string arm_endpoint, Pipeline pipeline, ArmClientOptions options = {});
  ~ArmClient();
  ArmClient(const ArmClient&) = delete;
  ArmClient& operator=(const ArmClient&) = delete;

  const std::string& arm_endpoint() const;

  // GET one resource. Not found: an error with http_status 404.
  void get(const std::string& id, Callback<nlohmann::json> done);
  // GET a collection (an ARM path or an absolute URL on the ARM endpoint) and every nextLink page.
  void list(const std::string& collection, Callback<std::vector<nlohmann::json>> done);

  // One write request. 200/201/204 with a body and no async headers: done. 201/202 with
  // Azure-AsyncOperation or Location: !done with the operation token. DELETE of a missing
  // resource (404) counts as done.
  void begin_put(const std::string& id, const nlohmann::json& body, Callback<WriteOutcome> done);
  void begin_patch(const std::string& id, const nlohmann::json& body, Callback<WriteOutcome> done);
  void begin_delete(const std::string& id, Callback<WriteOutcome> done);
  // An action (".../jobs/x/cancel"); body may be null (no body sent).
  void begin_post(const std::string& path, const nlohmann::json& body, Callback<WriteOutcome> done);

  // One poll of a running operation (resumable from a journalled token). On Succeeded the outcome
  // is done, with the resource read back as read_back says; Failed/Canceled give the operation's error.
  void poll(const OperationToken& token, Callback<WriteOutcome> done, ReadBack read_back = ReadBack::Resource);
  // Polls until the operation is terminal, waiting Retry-After (or the default) between polls.
  void wait(const OperationToken& token, Callback<WriteOutcome> done, ReadBack read_back = ReadBack::Resource);

  // begin_* followed by wait(); on_accepted (optional) sees the token first, to journal it.
  using AcceptedHook = std::function<void(const OperationToken&)>;
  void put(const std::string& id, const nlohmann::json& body, Callback<WriteOutcome> done,
           AcceptedHook on_accepted = nullptr);
  void remove(const std::string& id, Callback<WriteOutcome> done, AcceptedHook on_accepted = nullptr);

  // The URL a path resolves to: the ARM endpoint + path + api-version (if the path has none).
  std::string url_for(const std::string& path_or_url) const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace bai2aml::azure
