// Transport-neutral request and response: the HTTP glue (http_server.cpp) converts to and from these,
// so every handler and validator is testable without sockets.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bai2aml::emulator {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using HeaderMap = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;                        // upper case: GET, PUT, ...
  std::string path;                          // percent-decoded path, no query
  std::map<std::string, std::string> query;  // decoded; keys as sent (looked up case-insensitively)
  HeaderMap headers;
  std::string body;
  std::string base_url;   // scheme://host[:port] the client used; for nextLink and operation URLs
  bool loopback = true;   // the peer address is 127.0.0.0/8 or ::1

  // Case-insensitive query lookup (ARM treats api-version, $skipToken, ... that way).
  const std::string* query_param(const std::string& name) const;
  std::string header(const std::string& name) const;  // "" when absent
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool drop_connection = false;  // close the socket without answering (fault injection)

  void set_header(const std::string& name, const std::string& value);
  const std::string* header(const std::string& name) const;
};

// ARM's error body: {"error":{"code":...,"message":...}}.
Response arm_error(int status, const std::string& code, const std::string& message);
Response json_response(int status, const std::string& body);

std::string to_lower(std::string s);
bool iequals(const std::string& a, const std::string& b);
std::string url_decode(const std::string& s);
std::string url_encode(const std::string& s);
std::map<std::string, std::string> parse_query(const std::string& query);  // a=b&c=d, decoded

}  // namespace bai2aml::emulator
