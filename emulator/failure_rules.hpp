// Failures a test asks for by path (PUT /_emulator/failures): every ARM request whose path starts
// with a rule's prefix (case-insensitive; optionally only one method) is answered with the rule's
// error instead of reaching the resource provider, `times` times or for good. Unlike --fault-rate,
// which is random and transient, a rule is targeted and lasting: one workspace whose LISTs fail (no
// RBAC, private link, being deleted), or a 429 with a Retry-After of a year.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/http_types.hpp"

namespace bai2aml::emulator {

struct FailureRule {
  std::string path_prefix;       // matched case-insensitively against the request path
  std::string method;            // "" = any
  int status = 500;
  std::string code = "InternalServerError";
  std::string message = "Injected failure.";
  std::string retry_after;       // the Retry-After header, verbatim ("" = none)
  std::optional<long long> times;  // answers left; nullopt = unlimited
  std::optional<std::string> body;  // sent verbatim instead of the error JSON (a proxy's page, an echo)
};

// Parses {"rules":[{"path_prefix","method","status","code","message","retry_after","times","body"}]};
// on error returns nullopt and sets *error to a message naming the rule and field.
std::optional<std::vector<FailureRule>> parse_failure_rules(const nlohmann::json& body, std::string* error);

class FailureRules {
 public:
  void replace(std::vector<FailureRule> rules);
  nlohmann::json to_json() const;  // {"rules":[...]} with the answers left
  // The answer for this request, if a rule matches (the rule's count goes down).
  std::optional<Response> match(const std::string& method, const std::string& path);

 private:
  mutable std::mutex mu_;
  std::vector<FailureRule> rules_;
};

}  // namespace bai2aml::emulator
