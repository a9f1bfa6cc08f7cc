#include "azure/arm_error.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "azure/http_types.hpp"
#include "config/redaction.hpp"
#include "config/untrusted_json.hpp"
#include "config/utf8.hpp"

namespace bai2aml::azure {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Azure Service Operator's lists (errorclassification/error_classifier.go), lower-cased.
const std::set<std::string>& retryable_codes() {
  static const std::set<std::string> codes{
      "conflict", "anotheroperationinprogress", "resourcenotfound", "parentresourcenotfound",
      "authorizationfailed", "resourcequotaexceeded", "missingsubscriptionregistration", "scopelocked",
      "toomanyrequests", "serviceunavailable", "internalservererror", "gatewaytimeout", "resourcegroupnotfound",
      "operationnotallowed", "retryableerror", "requesttimeout",
  };
  return codes;
}
const std::set<std::string>& terminal_codes() {
  static const std::set<std::string> codes{
      "badrequest", "invalidparameter", "invalidrequestcontent", "missingrequiredparameter",
      "propertychangenotallowed", "skunotavailable", "requestdisallowedbypolicy", "reservedresourcename",
      "invalidresourcename", "invalidrequestformat", "linkedinvalidpropertyid", "invalidresourcereference",
      "invalidtemplate", "invalidresourcetype", "unsupportedapiversion", "invalidapiversionparameter",
      "notsupported", "validationerror", "usererror", "invalid_client", "unauthorized_client", "invalid_request",
      "invalid_scope", "unsupported_grant_type",
  };
  return codes;
}

// The first 200 bytes of a body that is not an ARM error, as one line of valid UTF-8: the message
// reaches SQLite, status.json, plan --json and the report, whose JSON must stay well-formed whatever
// the body was (a character cut at byte 200, Latin-1, binary). Bad bytes become '?'. Redacted
// before it is cut: a key cut in half no longer looks like a key.
std::string snippet(const std::string& body) {
  std::string s = config::valid_utf8(config::redact_secrets(std::string_view(body).substr(0, 8192)).substr(0, 200));
  for (auto& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

}  // namespace

std::string ArmError::to_string() const {
  std::string out = http_status ? std::to_string(http_status) + " " : std::string();
  out += code.empty() ? std::string("error") : code;
  if (!message.empty()) out += ": " + message;
  if (!request_id.empty()) out += " (request " + request_id + ")";
  return out;
}

bool is_retryable_arm_code(const std::string& code, int http_status) {
  if (code.empty()) return http_status != 400;
  const auto c = lower(code);
  if (retryable_codes().count(c)) return true;
  if (terminal_codes().count(c)) return false;
  if (http_status == 400) return false;
  if (http_status > 400 && http_status < 500) {
    return http_status == 401 || http_status == 403 || http_status == 404 || http_status == 408 ||
           http_status == 409 || http_status == 429;  // other 4xx: terminal
  }
  return true;  // 5xx, no response, or a failed long-running operation (200) with an unknown code
}

ArmError error_from_response(const Response& response) {
  ArmError e;
  e.http_status = response.status;
  e.request_id = response.arm_request_id();
  const auto parsed = config::parse_untrusted_json(response.body).value;  // null when not JSON
  const auto str = [](const nlohmann::json& j, const char* key) -> std::string {
    if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
    return "";
  };
  if (parsed.is_object()) {
    if (parsed.contains("error") && parsed["error"].is_object()) {
      e.code = str(parsed["error"], "code");
      e.message = str(parsed["error"], "message");
    } else if (parsed.contains("error") && parsed["error"].is_string()) {  // OAuth2 error body
      e.code = parsed["error"].get<std::string>();
      e.message = str(parsed, "error_description");
    } else {
      e.code = str(parsed, "code");
      e.message = str(parsed, "message");
    }
  }
  if (e.code.empty() && e.message.empty()) {
    e.message = response.body.empty() ? "HTTP " + std::to_string(response.status) + " with an empty body"
                                      : "HTTP " + std::to_string(response.status) + ": " + snippet(response.body);
  }
  // A proxy's page or an echoing service can carry a credential: the message is kept in the journal,
  // resource_status and findings, so it leaves here redacted.
  e.message = config::redact_secrets(e.message);
  e.retryable = is_retryable_arm_code(e.code, e.http_status);
  return e;
}

}  // namespace bai2aml::azure
