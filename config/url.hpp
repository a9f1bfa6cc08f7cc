// Absolute http(s) URLs and the loopback rule: the one implementation the config validator (which
// endpoints may use plain http) and the azure/ pipeline (where requests go, when a token may travel
// over plain http) share, so the two can never disagree about a URL.
#pragma once

#include <optional>
#include <string>

namespace bai2aml::config {

// The parts of an absolute URL; parse_url returns nullopt for anything that is not
// http(s)://host[:port][/path][?query], and for URLs carrying credentials (user:password@).
struct Url {
  std::string scheme;          // lower case
  std::string host;            // lower case, IPv6 without brackets
  int port = 0;                // explicit or the scheme default
  std::string path_and_query;  // starts with '/'
  std::string origin() const;  // scheme://host:port
};
std::optional<Url> parse_url(const std::string& url);

// 127.0.0.0/8, ::1 (in any spelling) and localhost: what azure.allow_insecure_loopback permits.
bool is_loopback_host(const std::string& host);

}  // namespace bai2aml::config
