#include "config/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace bai2aml::config {
namespace {

std::string to_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// A host that would be cut differently by another URL parser (a space, a stray ':' or '@' in a
// bracket-less host) is refused rather than guessed at: the loopback check must see what the
// transport will connect to.
bool plain_host(const std::string& host) {
  return !host.empty() && std::none_of(host.begin(), host.end(), [](unsigned char c) {
    return c <= ' ' || c >= 0x7f || std::strchr(":@[]\\", c) != nullptr;
  });
}

}  // namespace

std::string Url::origin() const {
  return scheme + "://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<Url> parse_url(const std::string& text) {
  const auto sep = text.find("://");
  if (sep == std::string::npos) return std::nullopt;
  Url url;
  url.scheme = to_lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") return std::nullopt;
  const auto rest = text.substr(sep + 3);
  const auto path_start = rest.find_first_of("/?#");
  const std::string authority = rest.substr(0, path_start);
  url.path_and_query = path_start == std::string::npos ? "/" : rest.substr(path_start);
  if (url.path_and_query[0] != '/') url.path_and_query = "/" + url.path_and_query;
  if (authority.find('@') != std::string::npos) return std::nullopt;  // no credentials in URLs
  std::string port_text;
  bool has_port = false;
  if (!authority.empty() && authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    url.host = authority.substr(1, close - 1);
    in6_addr v6{};
    if (inet_pton(AF_INET6, url.host.c_str(), &v6) != 1) return std::nullopt;
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return std::nullopt;
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = authority.find(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
    if (!plain_host(url.host)) return std::nullopt;
  }
  url.host = to_lower(url.host);
  if (url.host.empty()) return std::nullopt;
  if (!has_port || port_text.empty()) {  // "host:" is the default port (RFC 3986 §3.2.3)
    url.port = url.scheme == "https" ? 443 : 80;
  } else {
    if (!all_digits(port_text) || port_text.size() > 5) return std::nullopt;
    url.port = std::stoi(port_text);
    if (url.port <= 0 || url.port > 65535) return std::nullopt;
  }
  return url;
}

bool is_loopback_host(const std::string& host) {
  const std::string h = to_lower(host);
  if (h == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, h.c_str(), &v6) == 1 && std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
}

}  // namespace bai2aml::config
