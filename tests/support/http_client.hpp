// A tiny synchronous HTTP(S) client for tests: one call, one answer. Transport failures (connection
// refused or dropped, TLS verification failure, timeout) come back as status 0 with `error` set, so a
// test can assert on them instead of catching exceptions.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace bai2aml::testing {

struct HttpResult {
  int status = 0;                             // 0: no HTTP answer (see error)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string error;  // transport error, when status == 0

  std::string header(const std::string& name) const;  // case-insensitive; "" when absent
  nlohmann::json json() const;                        // parses body; throws on invalid JSON
};

struct HttpOptions {
  std::string ca_file;  // PEM file of trusted CAs for https (empty: the system store)
  std::chrono::milliseconds timeout{std::chrono::seconds(15)};
};

// `headers` may set Content-Type (default application/json when a body is given).
HttpResult http_request(const std::string& method, const std::string& url, const std::string& body = "",
                        const std::map<std::string, std::string>& headers = {}, const HttpOptions& options = {});

}  // namespace bai2aml::testing
