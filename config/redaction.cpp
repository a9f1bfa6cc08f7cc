#include "config/redaction.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

namespace bai2aml::config {
namespace {

using Range = std::pair<std::size_t, std::size_t>;  // [begin, end) of a value to mask

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
// Characters of a key in key=value, an option name or a JSON member name.
bool is_name_char(char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.' || c == '$'; }
// Characters of an OAuth bearer token (RFC 6750 b64token).
bool is_token_char(char c) { return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '='; }
bool is_base64_char(char c) { return is_alnum(c) || c == '+' || c == '/'; }
bool is_base64url_char(char c) { return is_alnum(c) || c == '-' || c == '_'; }

// A secret value in a key=value list (query string, connection string, form body, mount options,
// command line) ends here.
bool ends_value(char c) {
  return c == '&' || c == ';' || c == ',' || c == '"' || c == '\'' || c == '\\' || c == '<' || c == '>' || is_space(c);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Whether a (lower-case) key, option or member name names a credential.
bool secret_name(std::string_view name) {
  while (!name.empty() && (name.front() == '-' || name.front() == '$')) name.remove_prefix(1);
  if (name.empty() || name == "skiptoken") return false;  // ARM's paging cursor is no secret
  if (name == "sig" || name == "pwd" || name == "pass") return true;
  static const std::array<std::string_view, 14> any_prefix = {
      "password",  "passwd",    "secret",     "token",          "accountkey",           "apikey",
      "accesskey", "secretkey", "privatekey", "storagekey",     "sharedaccesskey",      "sharedaccesssignature",
      "sharedkey", "client_assertion"};
  for (auto s : any_prefix)
    if (ends_with(name, s)) return true;
  // The same with a separator: account_key, api-key, secret_key, sas-token is covered by "token".
  static const std::array<std::string_view, 8> split = {"account", "api", "access", "secret", "private", "storage",
                                                        "shared", "client"};
  for (const char sep : {'_', '-'}) {
    if (ends_with(name, std::string(1, sep) + "pwd")) return true;
    for (auto s : split) {
      if (ends_with(name, std::string(s) + sep + "key")) return true;
      if (s == std::string_view("client") && ends_with(name, std::string(s) + sep + "assertion")) return true;
    }
  }
  return false;
}

// The value starting at p: a quoted string is masked whole (without its quotes), anything else up
// to the first character that ends a value. An empty value is no range.
void mask_value(std::string_view text, std::size_t p, std::vector<Range>& out) {
  if (p >= text.size()) return;
  if (text[p] == '"' || text[p] == '\'') {
    const std::size_t close = text.find(text[p], p + 1);
    if (close != std::string_view::npos && close > p + 1) out.emplace_back(p + 1, close);
    return;
  }
  if (text[p] == '\\' && p + 1 < text.size() && text[p + 1] == '"') {  // \"value\" inside escaped JSON
    const std::size_t close = text.find("\\\"", p + 2);
    if (close != std::string_view::npos && close > p + 2) out.emplace_back(p + 2, close);
    return;
  }
  const std::size_t begin = p;
  while (p < text.size() && !ends_value(text[p])) ++p;
  if (p > begin) out.emplace_back(begin, p);
}

// The name ending just before `end` (exclusive), walking back over name characters.
std::string_view name_before(std::string_view lower, std::size_t end) {
  std::size_t b = end;
  while (b > 0 && is_name_char(lower[b - 1])) --b;
  return lower.substr(b, end - b);
}

void find_assignments(std::string_view text, std::string_view lower, std::vector<Range>& out) {
  for (std::size_t eq = lower.find('='); eq != std::string_view::npos; eq = lower.find('=', eq + 1)) {
    if (secret_name(name_before(lower, eq))) mask_value(text, eq + 1, out);
  }
}

// `--password value`: a long option naming a credential, a space, and a value that is not an option.
void find_options(std::string_view text, std::string_view lower, std::vector<Range>& out) {
  for (std::size_t p = lower.find("--"); p != std::string_view::npos; p = lower.find("--", p + 2)) {
    if (p > 0 && !(is_space(lower[p - 1]) || lower[p - 1] == '"' || lower[p - 1] == '\'')) continue;
    std::size_t e = p + 2;
    while (e < lower.size() && is_name_char(lower[e])) ++e;
    if (e >= lower.size() || !is_space(lower[e]) || !secret_name(lower.substr(p, e - p))) continue;
    while (e < lower.size() && is_space(lower[e])) ++e;
    if (e < lower.size() && lower[e] != '-') mask_value(text, e, out);
  }
}

void find_bearer_tokens(std::string_view lower, std::vector<Range>& out) {
  for (std::size_t pos = lower.find("bearer"); pos != std::string_view::npos; pos = lower.find("bearer", pos + 1)) {
    if (pos > 0 && (is_alnum(lower[pos - 1]) || lower[pos - 1] == '_')) continue;
    std::size_t p = pos + 6;
    const std::size_t spaces = p;
    while (p < lower.size() && (lower[p] == ' ' || lower[p] == '\t')) ++p;
    if (p == spaces) continue;
    const std::size_t begin = p;
    while (p < lower.size() && is_token_char(lower[p])) ++p;
    if (p > begin) out.emplace_back(begin, p);
  }
}

// "name": "value" and its escaped form \"name\":\"value\" (JSON inside a JSON string).
void find_json_members(std::string_view lower, std::vector<Range>& out) {
  for (std::size_t q = lower.find('"'); q != std::string_view::npos; q = lower.find('"', q + 1)) {
    std::size_t p = q + 1;
    while (p < lower.size() && is_name_char(lower[p])) ++p;
    const std::string_view name = lower.substr(q + 1, p - q - 1);
    if (name.empty() || !(secret_name(name) || name == "key")) continue;
    if (p < lower.size() && lower[p] == '\\') ++p;
    if (p >= lower.size() || lower[p] != '"') continue;
    ++p;
    while (p < lower.size() && is_space(lower[p])) ++p;
    if (p >= lower.size() || lower[p] != ':') continue;
    ++p;
    while (p < lower.size() && is_space(lower[p])) ++p;
    if (p < lower.size() && lower[p] == '\\') ++p;
    if (p >= lower.size() || lower[p] != '"') continue;
    const std::size_t begin = ++p;
    while (p < lower.size() && lower[p] != '"' && lower[p] != '\\') ++p;
    if (p > begin) out.emplace_back(begin, p);
  }
}

// scheme://user:password@host: the password.
void find_url_passwords(std::string_view text, std::vector<Range>& out) {
  for (std::size_t s = text.find("://"); s != std::string_view::npos; s = text.find("://", s + 3)) {
    const std::size_t begin = s + 3;
    std::size_t end = begin;
    while (end < text.size() && !is_space(text[end]) && std::string_view("/?#\"'\\<>").find(text[end]) == std::string_view::npos)
      ++end;
    const std::size_t at = text.rfind('@', end == 0 ? 0 : end - 1);
    if (at == std::string_view::npos || at < begin) continue;
    const std::size_t colon = text.find(':', begin);
    if (colon < at && colon + 1 < at) out.emplace_back(colon + 1, at);
  }
}

// A JWT outside any key=value: three base64url segments starting with "eyJ" ({").
void find_jwts(std::string_view text, std::vector<Range>& out) {
  for (std::size_t p = text.find("eyJ"); p != std::string_view::npos; p = text.find("eyJ", p + 1)) {
    if (p > 0 && (is_base64url_char(text[p - 1]) || text[p - 1] == '.')) continue;
    std::size_t e = p;
    int dots = 0;
    std::size_t segment = 0;
    bool long_segments = true;
    while (e < text.size() && (is_base64url_char(text[e]) || text[e] == '.')) {
      if (text[e] == '.') {
        if (dots < 2 && segment < 4) long_segments = false;
        ++dots;
        segment = 0;
      } else {
        ++segment;
      }
      ++e;
    }
    if (dots >= 2 && long_segments) out.emplace_back(p, e);
  }
}

// Padded base64 of 32 bytes or more: storage account keys (64 bytes: 86 characters and "=="),
// shared access keys. A run of letters alone (a word) or without the padding is left alone.
void find_base64_keys(std::string_view text, std::vector<Range>& out) {
  std::size_t p = 0;
  while (p < text.size()) {
    if (!is_base64_char(text[p])) {
      ++p;
      continue;
    }
    // A run glued to an identifier or a dotted name (a-b, x.y, a_b) is part of something else.
    const bool attached = p > 0 && (text[p - 1] == '-' || text[p - 1] == '_' || text[p - 1] == '.');
    const std::size_t begin = p;
    bool digit = false, upper = false, lower = false;
    while (p < text.size() && is_base64_char(text[p])) {
      digit |= std::isdigit(static_cast<unsigned char>(text[p])) != 0 || text[p] == '+' || text[p] == '/';
      upper |= std::isupper(static_cast<unsigned char>(text[p])) != 0;
      lower |= std::islower(static_cast<unsigned char>(text[p])) != 0;
      ++p;
    }
    std::size_t end = p;
    while (end < text.size() && end - p < 2 && text[end] == '=') ++end;
    const bool padded = end > p && (end >= text.size() || (!is_base64_char(text[end]) && text[end] != '='));
    if (!attached && padded && end - begin >= 44 && (end - begin) % 4 == 0 && digit && upper && lower) out.emplace_back(begin, end);
    p = end;
  }
}

// The document's strings, depth first, without recursion.
template <class F>
void for_each_string(nlohmann::json& doc, F f) {
  std::vector<nlohmann::json*> stack{&doc};
  while (!stack.empty()) {
    nlohmann::json* j = stack.back();
    stack.pop_back();
    if (j->is_string()) {
      f(j->get_ref<std::string&>());
    } else if (j->is_structured()) {
      for (auto& child : *j) stack.push_back(&child);
    }
  }
}

}  // namespace

std::string redact_secrets(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::vector<Range> ranges;
  find_bearer_tokens(lower, ranges);
  find_assignments(text, lower, ranges);
  find_options(text, lower, ranges);
  find_json_members(lower, ranges);
  find_url_passwords(text, ranges);
  find_jwts(text, ranges);
  find_base64_keys(text, ranges);
  if (ranges.empty()) return std::string(text);

  std::sort(ranges.begin(), ranges.end());
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (const auto& [begin, end] : ranges) {
    if (end <= copied) continue;  // inside a range already masked
    if (begin >= copied) {
      out.append(text.substr(copied, begin - copied));
      out += kRedactedMask;
    }
    copied = end;
  }
  out.append(text.substr(copied));
  return out;
}

nlohmann::json redact_secrets_in(nlohmann::json document) {
  for_each_string(document, [](std::string& s) {
    std::string redacted = redact_secrets(s);
    if (redacted != s) s = std::move(redacted);
  });
  return document;
}

}  // namespace bai2aml::config
