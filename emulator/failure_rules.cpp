#include "emulator/failure_rules.hpp"

namespace bai2aml::emulator {

namespace {
using nlohmann::json;

bool optional_string(const json& rule, const char* key, std::string& out, std::string* error, size_t index) {
  if (!rule.contains(key)) return true;
  if (!rule[key].is_string()) {
    *error = "rules[" + std::to_string(index) + "]." + key + " must be a string";
    return false;
  }
  out = rule[key].get<std::string>();
  return true;
}
}  // namespace

std::optional<std::vector<FailureRule>> parse_failure_rules(const json& body, std::string* error) {
  if (!body.is_object() || !body.contains("rules") || !body["rules"].is_array()) {
    *error = "the body must be {\"rules\": [...]}";
    return std::nullopt;
  }
  std::vector<FailureRule> out;
  for (size_t i = 0; i < body["rules"].size(); ++i) {
    const json& r = body["rules"][i];
    const std::string at = "rules[" + std::to_string(i) + "]";
    if (!r.is_object()) {
      *error = at + " must be an object";
      return std::nullopt;
    }
    FailureRule rule;
    if (!optional_string(r, "path_prefix", rule.path_prefix, error, i) ||
        !optional_string(r, "method", rule.method, error, i) || !optional_string(r, "code", rule.code, error, i) ||
        !optional_string(r, "message", rule.message, error, i) ||
        !optional_string(r, "retry_after", rule.retry_after, error, i))
      return std::nullopt;
    if (rule.path_prefix.empty() || rule.path_prefix[0] != '/') {
      *error = at + ".path_prefix must be a path starting with '/'";
      return std::nullopt;
    }
    if (r.contains("body")) {
      std::string text;
      if (!optional_string(r, "body", text, error, i)) return std::nullopt;
      rule.body = std::move(text);
    }
    if (r.contains("status")) {
      // A rule with its own body may also answer 2xx: an endpoint that says OK with a body of the
      // wrong shape (a proxy's page, a truncated or mistyped document).
      const int low = rule.body ? 200 : 400;
      if (!r["status"].is_number_integer() || r["status"].get<int>() < low || r["status"].get<int>() > 599 ||
          (r["status"].get<int>() >= 300 && r["status"].get<int>() < 400)) {
        *error = at + (rule.body ? ".status must be 2xx, 4xx or 5xx" : ".status must be an HTTP error status (400-599)");
        return std::nullopt;
      }
      rule.status = r["status"].get<int>();
    }
    if (r.contains("times")) {
      if (!r["times"].is_number_integer() || r["times"].get<long long>() < 1) {
        *error = at + ".times must be a positive integer";
        return std::nullopt;
      }
      rule.times = r["times"].get<long long>();
    }
    rule.path_prefix = to_lower(rule.path_prefix);
    out.push_back(std::move(rule));
  }
  return out;
}

void FailureRules::replace(std::vector<FailureRule> rules) {
  std::lock_guard lock(mu_);
  rules_ = std::move(rules);
}

json FailureRules::to_json() const {
  std::lock_guard lock(mu_);
  json rules = json::array();
  for (const auto& r : rules_) {
    json j = {{"path_prefix", r.path_prefix}, {"status", r.status}, {"code", r.code}, {"message", r.message}};
    if (!r.method.empty()) j["method"] = r.method;
    if (!r.retry_after.empty()) j["retry_after"] = r.retry_after;
    if (r.times) j["times"] = *r.times;
    if (r.body) j["body"] = *r.body;
    rules.push_back(std::move(j));
  }
  return {{"rules", rules}};
}

std::optional<Response> FailureRules::match(const std::string& method, const std::string& path) {
  std::lock_guard lock(mu_);
  if (rules_.empty()) return std::nullopt;
  const std::string lower = to_lower(path);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (!it->method.empty() && !iequals(it->method, method)) continue;
    if (lower.compare(0, it->path_prefix.size(), it->path_prefix) != 0) continue;
    Response r = arm_error(it->status, it->code, it->message);
    if (it->body) {
      r.body = *it->body;
      if (!json::accept(*it->body)) r.set_header("Content-Type", "text/plain; charset=utf-8");
    }
    if (!it->retry_after.empty()) r.set_header("Retry-After", it->retry_after);
    if (it->times && --*it->times == 0) rules_.erase(it);
    return r;
  }
  return std::nullopt;
}

}  // namespace bai2aml::emulator
