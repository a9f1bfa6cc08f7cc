// The pipeline's policies, each in a small chain ending in a scripted FakeServer.
#include <catch2/catch.hpp>

#include <set>

#include "azure/arm_client.hpp"
#include "azure/arm_pipeline.hpp"
#include "azure/policies/bearer_token_policy.hpp"
#include "azure/policies/retry_policy.hpp"
#include "azure/policies/simple_policies.hpp"
#include "azure/policies/throttle_policy.hpp"
#include "tests/azure/fakes.hpp"

using namespace bai2aml::azure;
using namespace bai2aml::azure::test;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

RetryOptions fast_retry() {
  RetryOptions o;
  o.base_delay = milliseconds(5);
  o.max_delay = milliseconds(50);
  return o;
}

Request get(const std::string& url = "https://arm.example/subscriptions/s1/resourceGroups/g?api-version=1") {
  Request r;
  r.method = "GET";
  r.url = url;
  return r;
}

// Sends one request and runs io until it completes.
Result<Response> send(boost::asio::io_context& io, const Pipeline& p, Request r) {
  std::optional<Result<Response>> out;
  p.send(std::move(r), [&](Result<Response> res) { out.emplace(std::move(res)); });
  run_until(io, [&] { return out.has_value(); });
  REQUIRE(out);
  return *out;
}

Pipeline chain(boost::asio::io_context&, FakeServer& server, std::unique_ptr<Policy> policy) {
  std::vector<std::unique_ptr<Policy>> v;
  v.push_back(std::make_unique<RequestIdPolicy>());
  v.push_back(std::move(policy));
  return Pipeline(std::move(v), server.transport());
}

}  // namespace

TEST_CASE("retry: 500, 502, 503, 504, 408 and 429 are retried until success") {
  boost::asio::io_context io;
  for (int status : {408, 429, 500, 502, 503, 504}) {
    int calls = 0;
    FakeServer server(io, [&](const Request&) -> Result<Response> { return reply(++calls < 3 ? status : 200, "{}"); });
    auto p = chain(io, server, std::make_unique<RetryPolicy>(io, fast_retry()));
    auto r = send(io, p, get());
    REQUIRE(r.ok());
    CHECK(r.value().status == 200);
    CHECK(calls == 3);
    // Every attempt of one call carries the same client request id.
    std::set<std::string> ids;
    for (const auto& q : server.requests) ids.insert(q.headers.at(kClientRequestIdHeader));
    CHECK(ids.size() == 1);
  }
}

TEST_CASE("retry: other 4xx are never retried") {
  boost::asio::io_context io;
  for (int status : {400, 401, 403, 404, 409, 412}) {
    int calls = 0;
    FakeServer server(io, [&](const Request&) -> Result<Response> {
      ++calls;
      return reply(status, R"({"error":{"code":"InvalidParameter","message":"no"}})");
    });
    auto p = chain(io, server, std::make_unique<RetryPolicy>(io, fast_retry()));
    auto r = send(io, p, get());
    REQUIRE(r.ok());
    CHECK(r.value().status == status);
    CHECK(calls == 1);
  }
}

TEST_CASE("retry: gives up after max_retries and returns the last answer") {
  boost::asio::io_context io;
  int calls = 0;
  FakeServer server(io, [&](const Request&) -> Result<Response> { return reply(503, "", {{"x-call", std::to_string(++calls)}}); });
  auto p = chain(io, server, std::make_unique<RetryPolicy>(io, fast_retry()));
  auto r = send(io, p, get());
  REQUIRE(r.ok());
  CHECK(r.value().status == 503);
  CHECK(calls == 4);
  CHECK(r.value().header("x-call") == std::string("4"));
}

TEST_CASE("retry: honours the server's Retry-After instead of the backoff") {
  boost::asio::io_context io;
  int calls = 0;
  FakeServer server(io, [&](const Request&) -> Result<Response> {
    return ++calls == 1 ? reply(429, "", {{"Retry-After", "1"}}) : reply(200);
  });
  auto p = chain(io, server, std::make_unique<RetryPolicy>(io, fast_retry()));
  const auto t0 = Clock::now();
  auto r = send(io, p, get());
  const auto elapsed = Clock::now() - t0;
  REQUIRE(r.ok());
  CHECK(r.value().status == 200);
  CHECK(elapsed >= milliseconds(950));  // the 5 ms backoff would have been far shorter
  CHECK(elapsed < milliseconds(3000));
}

TEST_CASE("retry: dropped connections are retried - terminal client errors are not") {
  boost::asio::io_context io;
  int calls = 0;
  FakeServer server(io, [&](const Request&) -> Result<Response> {
    if (++calls < 3) return dropped();
    return reply(200);
  });
  auto p = chain(io, server, std::make_unique<RetryPolicy>(io, fast_retry()));
  auto r = send(io, p, get());
  REQUIRE(r.ok());
  CHECK(calls == 3);

  int tls_calls = 0;
  FakeServer tls(io, [&](const Request&) -> Result<Response> {
    ++tls_calls;
    ArmError e;
    e.code = errc::kTlsError;
    e.message = "certificate verify failed";
    return e;
  });
  auto p2 = chain(io, tls, std::make_unique<RetryPolicy>(io, fast_retry()));
  auto r2 = send(io, p2, get());
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().code == errc::kTlsError);
  CHECK_FALSE(r2.error().request_id.empty());
  CHECK(tls_calls == 1);
}

TEST_CASE("retry: backoff grows exponentially with jitter and is capped") {
  boost::asio::io_context io;
  RetryOptions o;  // defaults: 800 ms base, 60 s cap
  RetryPolicy policy(io, o);
  CHECK(policy.backoff(0, 1.0) == milliseconds(800));
  CHECK(policy.backoff(2, 1.0) == milliseconds(3200));
  CHECK(policy.backoff(2, 0.8) == milliseconds(2560));
  CHECK(policy.backoff(20, 1.29) == milliseconds(60000));
}

TEST_CASE("request id and user agent: set once, kept across attempts, reported on the response") {
  boost::asio::io_context io;
  FakeServer server(io, [&](const Request&) -> Result<Response> { return reply(200); });
  std::vector<std::unique_ptr<Policy>> v;
  v.push_back(std::make_unique<RequestIdPolicy>());
  v.push_back(std::make_unique<UserAgentPolicy>());
  Pipeline p(std::move(v), server.transport());
  auto r = send(io, p, get());
  REQUIRE(r.ok());
  const auto& sent = server.requests.at(0);
  CHECK(sent.headers.at("User-Agent") == std::string("bai2aml/") + BAI2AML_VERSION);
  const auto id = sent.headers.at(kClientRequestIdHeader);
  CHECK(id.size() == 36);
  CHECK(r.value().request_id == id);
  Request mine = get();
  mine.headers[kClientRequestIdHeader] = "caller-chosen";
  auto r2 = send(io, p, mine);
  CHECK(server.requests.at(1).headers.at(kClientRequestIdHeader) == "caller-chosen");
}

TEST_CASE("bearer: adds the token, refreshes once on 401, and gives up on a second 401") {
  boost::asio::io_context io;
  auto credential = std::make_shared<CountingCredential>();
  int calls = 0;
  FakeServer server(io, [&](const Request& r) -> Result<Response> {
    ++calls;
    return reply(r.headers.at("Authorization") == "Bearer token-2" ? 200 : 401);
  });
  TransportOptions t;
  auto p = chain(io, server, std::make_unique<BearerTokenPolicy>(credential, "scope", t));
  auto r = send(io, p, get());
  REQUIRE(r.ok());
  CHECK(r.value().status == 200);
  CHECK(calls == 2);
  CHECK(credential->fetches == 2);
  CHECK(server.requests[0].headers.at("Authorization") == "Bearer token-1");

  FakeServer always401(io, [&](const Request&) -> Result<Response> { return reply(401); });
  auto p2 = chain(io, always401, std::make_unique<BearerTokenPolicy>(credential, "scope", t));
  auto r2 = send(io, p2, get());
  REQUIRE(r2.ok());
  CHECK(r2.value().status == 401);
  CHECK(always401.requests.size() == 2);
}

TEST_CASE("bearer: no token travels over plain http unless the URL is allowed") {
  boost::asio::io_context io;
  auto credential = std::make_shared<CountingCredential>();
  FakeServer server(io, [&](const Request&) -> Result<Response> { return reply(200); });
  TransportOptions strict;
  auto p = chain(io, server, std::make_unique<BearerTokenPolicy>(credential, "scope", strict));
  auto r = send(io, p, get("http://127.0.0.1:1234/subscriptions/s"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == errc::kInsecureTransport);
  CHECK(server.requests.empty());
  CHECK(credential->fetches == 0);

  TransportOptions loopback;
  loopback.allow_insecure_loopback = true;
  auto p2 = chain(io, server, std::make_unique<BearerTokenPolicy>(credential, "scope", loopback));
  CHECK(send(io, p2, get("http://127.0.0.1:1234/subscriptions/s")).ok());
  auto r3 = send(io, p2, get("http://10.0.0.1/subscriptions/s"));
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().code == errc::kInsecureTransport);
}

TEST_CASE("throttle: paces to the server's remaining budget instead of bursting") {
  boost::asio::io_context io;
  ThrottleOptions o;
  o.write_rate = 20;  // 50 ms apart once the server's budget is spent
  // The server has 3 writes left, then none: the 4th and later requests must wait for local refill.
  int remaining = 3;
  FakeServer server(io, [&](const Request&) -> Result<Response> {
    remaining = std::max(0, remaining - 1);
    return reply(200, "", {{"x-ms-ratelimit-remaining-subscription-writes", std::to_string(remaining)}});
  });
  auto p = chain(io, server, std::make_unique<ThrottlePolicy>(io, o));
  std::vector<Clock::time_point> sent;
  int completed = 0;
  const int n = 10;
  const auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    Request r = get();
    r.method = "PUT";
    p.send(r, [&](Result<Response> res) {
      CHECK(res.ok());
      ++completed;
    });
  }
  run_until(io, [&] { return completed == n; });
  CHECK(completed == n);
  const auto elapsed = Clock::now() - t0;
  // At least ~7 requests paced at 20/s after the budget ran out.
  CHECK(elapsed >= milliseconds(300));
  CHECK(elapsed < milliseconds(3000));
}

TEST_CASE("throttle: a 429 halves the rate and holds the bucket for Retry-After - reads are separate") {
  boost::asio::io_context io;
  ThrottleOptions o;
  o.write_rate = 8;
  auto policy = std::make_unique<ThrottlePolicy>(io, o);
  auto* throttle = policy.get();
  int calls = 0;
  std::vector<Clock::time_point> at;
  FakeServer server(io, [&](const Request& r) -> Result<Response> {
    at.push_back(Clock::now());
    if (r.method == "PUT" && ++calls == 1) return reply(429, "", {{"retry-after-ms", "300"}});
    return reply(200);
  });
  auto p = chain(io, server, std::move(policy));
  Request put = get();
  put.method = "PUT";
  auto r = send(io, p, put);
  CHECK(r.value().status == 429);
  CHECK(throttle->rate("s1", true) == Approx(4.0));
  CHECK(throttle->rate("s1", false) == 0.0);  // no read bucket yet
  const auto t0 = Clock::now();
  CHECK(send(io, p, get()).ok());  // reads are not held by the writes' 429
  CHECK(Clock::now() - t0 < milliseconds(200));
  CHECK(send(io, p, put).value().status == 200);
  CHECK(at.back() - at.front() >= milliseconds(280));  // the second PUT waited out the hold
}

TEST_CASE("throttle: a Retry-After of a year holds the bucket for kMaxServerDelay at most") {
  boost::asio::io_context io;
  auto policy = std::make_unique<ThrottlePolicy>(io, ThrottleOptions{});  // the production defaults
  auto* throttle = policy.get();
  FakeServer server(io, [&](const Request&) -> Result<Response> { return reply(429, "", {{"Retry-After", "31536000"}}); });
  auto p = chain(io, server, std::move(policy));
  CHECK(send(io, p, get()).value().status == 429);
  CHECK(kMaxServerDelay == std::chrono::seconds(60));  // the documented maximum (README)
  CHECK(throttle->hold_remaining("s1", false) > std::chrono::seconds(50));
  CHECK(throttle->hold_remaining("s1", false) <= kMaxServerDelay);
  CHECK(RetryOptions{}.max_server_delay == kMaxServerDelay);
  CHECK(ArmClientOptions{}.max_poll_interval == kMaxServerDelay);
}

TEST_CASE("throttle: the server's remaining count sets the local budget - down and up to the burst") {
  // A local refill slower than the server's (configured, or halved after a 429) must not leave
  // budget the server reports unused.
  boost::asio::io_context io;
  ThrottleOptions o;
  o.write_rate = 0.5;
  o.write_burst = 20;
  auto policy = std::make_unique<ThrottlePolicy>(io, o);
  auto* throttle = policy.get();
  std::string remaining = "3";
  FakeServer server(io, [&](const Request&) -> Result<Response> {
    return reply(200, "", {{"x-ms-ratelimit-remaining-subscription-writes", remaining}});
  });
  auto p = chain(io, server, std::move(policy));
  Request put = get();
  put.method = "PUT";
  CHECK(send(io, p, put).ok());
  CHECK(throttle->tokens("s1", true) == Approx(3.0).margin(0.1));  // down: the server has 3 left
  remaining = "15";
  CHECK(send(io, p, put).ok());
  CHECK(throttle->tokens("s1", true) == Approx(15.0).margin(0.1));  // up: not 2 + 0.5/s of refill
  remaining = "11999";
  CHECK(send(io, p, put).ok());
  CHECK(throttle->tokens("s1", true) == Approx(20.0));  // never above the local burst
  CHECK(throttle->rate("s1", true) == Approx(0.5));      // the refill rate itself is unchanged
}

TEST_CASE("throttle: an answer overtaken by a later request's answer can only lower the budget") {
  boost::asio::io_context io;
  ThrottleOptions o;
  o.write_rate = 0.5;
  o.write_burst = 20;
  auto policy = std::make_unique<ThrottlePolicy>(io, o);
  auto* throttle = policy.get();
  std::vector<ResponseCallback> pending;  // answered in the order the test chooses
  std::vector<std::unique_ptr<Policy>> v;
  v.push_back(std::move(policy));
  Pipeline p(std::move(v), std::make_unique<FunctionTransport>(
                               [&](Request, ResponseCallback done) { pending.push_back(std::move(done)); }));
  auto answer = [&](std::size_t i, const char* remaining) {
    pending.at(i)(reply(200, "", {{"x-ms-ratelimit-remaining-subscription-writes", remaining}}));
  };
  Request put = get();
  put.method = "PUT";
  int completed = 0;
  auto count = [&](Result<Response>) { ++completed; };
  p.send(put, count);
  run_until(io, [&] { return pending.size() == 1; });
  answer(0, "10");
  p.send(put, count);  // B
  p.send(put, count);  // C
  run_until(io, [&] { return pending.size() == 3; });
  answer(2, "5");  // C first: 5 left, B still in flight
  CHECK(throttle->tokens("s1", true) == Approx(4.0).margin(0.1));
  answer(1, "8");  // B's answer is older than C's: it does not know about C
  CHECK(throttle->tokens("s1", true) == Approx(4.0).margin(0.1));
  run_until(io, [&] { return completed == 3; });
  CHECK(completed == 3);
}

TEST_CASE("throttle: requests without a subscription pass unpaced") {
  boost::asio::io_context io;
  FakeServer server(io, [&](const Request&) -> Result<Response> { return reply(200); });
  auto p = chain(io, server, std::make_unique<ThrottlePolicy>(io, ThrottleOptions{}));
  CHECK(send(io, p, get("https://login.example/tenant/oauth2/v2.0/token")).ok());
}

TEST_CASE("log: one debug line per request with method, URL, status and ids - counters by method and code") {
  LogCapture capture;
  boost::asio::io_context io;
  auto counters = std::make_shared<RequestCounters>();
  int calls = 0;
  FakeServer server(io, [&](const Request&) -> Result<Response> {
    if (++calls == 1) return dropped();
    return reply(200, "{}", {{"x-ms-request-id", "arm-side-id"}});
  });
  std::vector<std::unique_ptr<Policy>> v;
  v.push_back(std::make_unique<RequestIdPolicy>());
  v.push_back(std::make_unique<RetryPolicy>(io, fast_retry()));
  v.push_back(std::make_unique<LogPolicy>(counters));
  Pipeline p(std::move(v), server.transport());
  auto r = send(io, p, get());
  REQUIRE(r.ok());
  const auto text = capture.text();
  CHECK(text.find("GET https://arm.example/subscriptions/s1/resourceGroups/g?api-version=1 -> 200") != std::string::npos);
  CHECK(text.find(r.value().request_id) != std::string::npos);
  CHECK(text.find("arm-side-id") != std::string::npos);
  CHECK(text.find("ConnectionError") != std::string::npos);
  CHECK(counters->count("GET", "200") == 1);
  CHECK(counters->count("GET", "error") == 1);
  CHECK(counters->total() == 2);
}
