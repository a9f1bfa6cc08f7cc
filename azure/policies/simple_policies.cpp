#include "azure/policies/simple_policies.hpp"

#include <chrono>
#include <cstdio>
#include <random>

#include <spdlog/spdlog.h>

#include "azure/arm_error.hpp"

#ifndef BAI2AML_VERSION
#define BAI2AML_VERSION "0.0.0"
#endif

namespace bai2aml::azure {

std::string new_uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t a = rng();
  const std::uint64_t b = rng();
  unsigned char bytes[16];
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(a >> (8 * i));
    bytes[8 + i] = static_cast<unsigned char>(b >> (8 * i));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
                bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return out;
}

void RequestIdPolicy::send(Request request, Next next, ResponseCallback done) {
  auto& id = request.headers[kClientRequestIdHeader];
  if (id.empty()) id = new_uuid();
  std::string request_id = id;
  next(std::move(request), [request_id, done = std::move(done)](Result<Response> result) {
    if (result) {
      result.value().request_id = request_id;
      done(std::move(result));
      return;
    }
    ArmError error = result.error();
    if (error.request_id.empty()) error.request_id = request_id;
    done(std::move(error));
  });
}

UserAgentPolicy::UserAgentPolicy() : user_agent_(std::string("bai2aml/") + BAI2AML_VERSION) {}

void UserAgentPolicy::send(Request request, Next next, ResponseCallback done) {
  request.headers["User-Agent"] = user_agent_;
  next(std::move(request), std::move(done));
}

void LogPolicy::send(Request request, Next next, ResponseCallback done) {
  const auto started = std::chrono::steady_clock::now();
  const auto id_it = request.headers.find(kClientRequestIdHeader);
  std::string request_id = id_it == request.headers.end() ? std::string() : id_it->second;
  std::string method = request.method;
  std::string url = request.url;
  next(std::move(request), [this, started, request_id = std::move(request_id), method = std::move(method),
                            url = std::move(url), done = std::move(done)](Result<Response> result) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    if (result) {
      const auto& r = result.value();
      const auto arm_id = r.header("x-ms-request-id");
      spdlog::debug("HTTP {} {} -> {} in {} ms (client-request-id {}, x-ms-request-id {})", method, url, r.status, ms,
                    request_id, arm_id ? *arm_id : std::string("-"));
      if (counters_) counters_->add(method, std::to_string(r.status));
    } else {
      spdlog::debug("HTTP {} {} -> {} in {} ms (client-request-id {}): {}", method, url, result.error().code, ms,
                    request_id, result.error().message);
      if (counters_) counters_->add(method, "error");
    }
    done(std::move(result));
  });
}

}  // namespace bai2aml::azure
