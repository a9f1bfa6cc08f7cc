#include "emulator/emulator.hpp"

#include <random>
#include <thread>

#include "emulator/arm_path.hpp"
#include "emulator/context.hpp"

namespace bai2aml::emulator {

namespace {

bool is_token_path(const std::string& path) {
  // /{tenant}/oauth2/v2.0/token
  const std::string suffix = "/oauth2/v2.0/token";
  return path.size() > suffix.size() + 1 && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         path.find('/', 1) == path.size() - suffix.size();
}

std::string request_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

Response unauthorized(const std::string& code, const std::string& message) {
  Response r = arm_error(401, code, message);
  r.set_header("WWW-Authenticate",
               "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", "
               "error_description=\"" + message + "\"");
  return r;
}

// The 401 ARM answers, or nullopt when the bearer token is valid.
std::optional<Response> check_auth(Context& ctx, const Request& req) {
  const std::string auth = req.header("Authorization");
  if (auth.empty())
    return unauthorized("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
  if (auth.size() < 8 || !iequals(auth.substr(0, 7), "Bearer "))
    return unauthorized("AuthenticationFailed",
                        "Authentication failed. The 'Authorization' header is provided in an invalid format.");
  switch (ctx.tokens.check(auth.substr(7))) {
    case TokenIssuer::Check::Valid: return std::nullopt;
    case TokenIssuer::Check::Expired:
      return unauthorized("ExpiredAuthenticationToken",
                          "The access token expiry UTC time is earlier than current UTC time.");
    case TokenIssuer::Check::Unknown: break;
  }
  return unauthorized("InvalidAuthenticationToken", "The access token is invalid.");
}

Response fault_response(const Fault& f) {
  Response r;
  switch (f.kind) {
    case Fault::Kind::Status500:
      r = arm_error(500, "InternalServerError", "Encountered internal server error. (injected fault)");
      break;
    case Fault::Kind::Status503:
      r = arm_error(503, "ServiceUnavailable", "The service is temporarily unavailable. (injected fault)");
      r.set_header("Retry-After", "1");
      break;
    case Fault::Kind::Status429:
      r = arm_error(429, "TooManyRequests", "The request is being throttled. (injected fault)");
      r.set_header("Retry-After", "1");
      break;
    case Fault::Kind::Drop:
      r.drop_connection = true;
      break;
    case Fault::Kind::None:
      break;
  }
  return r;
}

Response route_arm(Context& ctx, const Request& req) {
  auto path = parse_arm_path(req.path);
  if (!path) return arm_error(404, "NotFound", "No ARM resource or collection at '" + req.path + "'.");
  Provider provider;
  if (!provider_from_namespace(path->provider_ns, provider))
    return arm_error(400, "InvalidResourceNamespace",
                     "The resource namespace '" + path->provider_ns + "' is invalid or not served by the emulator.");
  if (provider == Provider::BatchAI && ctx.options.batchai_retired)
    return arm_error(400, "NoRegisteredProviderFound",
                     "No registered resource provider found for API version '2018-05-01' and namespace "
                     "'Microsoft.BatchAI'. The service was retired on 2019-03-31.");
  const std::string* version = req.query_param("api-version");
  if (!version || version->empty())
    return arm_error(400, "MissingApiVersionParameter",
                     "The api-version query parameter (?api-version=) is required for all requests.");
  if (*version != api_version(provider))
    return arm_error(400, "InvalidApiVersionParameter",
                     "The api-version '" + *version + "' is invalid. The supported versions are '" +
                         api_version(provider) + "'.");
  if (!path->types.empty() && iequals(path->types[0], "locations") && !path->names.empty()) {
    if (path->types.size() == 2 && path->names.size() == 2 &&
        (iequals(path->types[1], "operationsStatus") || iequals(path->types[1], "operationResults")))
      return handle_operation_request(ctx, req, *path);
    return handle_location_request(ctx, req, *path);
  }
  return handle_resource_request(ctx, req, *path);
}

}  // namespace

Emulator::Emulator(const Options& options, const Seed& seed) : ctx_(std::make_unique<Context>(options)) {
  ctx_->quotas = seed.quotas;
  ctx_->store.write([&](ResourceStore::Tx& tx) {
    for (const auto& r : seed.resources) tx.put(r);
    return 0;
  });
}

Emulator::~Emulator() = default;

Response Emulator::handle(const Request& req) {
  Context& ctx = *ctx_;
  if (req.path.rfind("/_emulator/", 0) == 0 || req.path == "/_emulator") return handle_admin_request(ctx, req);
  if (req.path == "/metadata/identity/oauth2/token") return handle_imds_request(ctx, req);
  if (is_token_path(req.path)) return handle_token_request(ctx, req);

  // Everything else is an ARM call: latency, auth, throttling, faults, then the resource provider.
  if (ctx.options.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ctx.options.latency_ms));
  const bool write = req.method != "GET" && req.method != "HEAD";
  bool throttled = false, faulted = false;
  Response resp;
  std::string subscription;
  if (auto p = parse_arm_path(req.path)) subscription = p->subscription;

  RateLimiter::Decision bucket;
  if (auto denied = check_auth(ctx, req)) {
    resp = std::move(*denied);
  } else if (bucket = ctx.limiter.take(subscription, write); !bucket.allowed) {
    throttled = true;
    resp = arm_error(429, "SubscriptionRequestsThrottled",
                     std::string("Number of ") + (write ? "write" : "read") +
                         " requests for subscription '" + subscription + "' exceeded the limit. Retry after " +
                         std::to_string(bucket.retry_after_seconds) + " seconds.");
    resp.set_header("Retry-After", std::to_string(bucket.retry_after_seconds));
  } else if (auto injected = ctx.failures.match(req.method, req.path)) {
    faulted = true;
    resp = std::move(*injected);
  } else {
    const Fault fault = ctx.faults.decide(write);
    if (!fault.none() && !fault.after_effect) {
      faulted = true;
      resp = fault_response(fault);
    } else {
      settle_operations(ctx);
      resp = route_arm(ctx, req);
      if (!fault.none()) {  // the write happened; the client gets a failure anyway
        faulted = true;
        resp = fault_response(fault);
      }
    }
  }
  resp.set_header(write ? "x-ms-ratelimit-remaining-subscription-writes" : "x-ms-ratelimit-remaining-subscription-reads",
                  std::to_string(bucket.remaining));
  const std::string id = request_id();
  resp.set_header("x-ms-request-id", id);
  resp.set_header("x-ms-correlation-request-id", req.header("x-ms-correlation-request-id").empty()
                                                     ? id
                                                     : req.header("x-ms-correlation-request-id"));
  ctx.stats.record(req.method, resp.drop_connection ? 0 : resp.status, throttled, faulted);
  return resp;
}

}  // namespace bai2aml::emulator
