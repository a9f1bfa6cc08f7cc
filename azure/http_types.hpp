// The HTTP request and response as the pipeline sees them: plain values, no cpprestsdk types.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "config/url.hpp"

namespace bai2aml::azure {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;  // "GET", "PUT", "PATCH", "DELETE", "POST"
  std::string url;     // absolute: scheme://host[:port]/path?query
  Headers headers;
  std::string body;
};

struct Response {
  int status = 0;
  Headers headers;
  std::string body;
  std::string request_id;  // x-ms-client-request-id the pipeline sent

  std::optional<std::string> header(const std::string& name) const;
  // What names this call for ARM's support and in our logs: ARM's x-ms-request-id when it sent one
  // (the id Azure looks requests up by), otherwise the client request id the pipeline sent.
  std::string arm_request_id() const;
};

inline constexpr const char* kClientRequestIdHeader = "x-ms-client-request-id";

// URLs are the config layer's (one parser for what the config validates and what the pipeline sends).
using config::is_loopback_host;
using config::parse_url;
using config::Url;

// The longest bai2aml ever waits because a server said so: a Retry-After (retry policy, throttle
// hold, long-running-operation polls) beyond it is cut to it, so that a bogus or hostile value
// (Retry-After: 999999999 is a year) cannot stall a pass silently. One minute is above what ARM
// asks for when throttling (seconds to tens of seconds) and below a reconcile interval's patience.
inline constexpr std::chrono::milliseconds kMaxServerDelay{60000};

// The delay a response asks for: retry-after-ms, then x-ms-retry-after-ms, then Retry-After in
// seconds or as an HTTP-date. nullopt when absent or unparseable.
std::optional<std::chrono::milliseconds> retry_after(const Headers& headers);

// The subscription id in an ARM URL or path (/subscriptions/{id}/...), lower-cased; empty if none.
std::string subscription_of(const std::string& url_or_path);

bool is_write_method(const std::string& method);  // PUT, PATCH, DELETE, POST

std::string percent_encode(const std::string& s);  // RFC 3986 unreserved kept, everything else %XX

}  // namespace bai2aml::azure
