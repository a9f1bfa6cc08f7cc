#include "azure/credentials/token_request.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/untrusted_json.hpp"

namespace bai2aml::azure::detail {

ArmError credential_error(const char* code, const std::string& message) {
  ArmError e;
  e.code = code;
  e.message = message;
  e.retryable = false;
  return e;
}

Result<std::string> read_secret_file(const std::string& path, const std::string& what, const std::string& credential) {
  if (path.empty()) {
    return credential_error(errc::kCredentialUnavailable, credential + ": no " + what + " file configured");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return credential_error(errc::kCredentialUnavailable, credential + ": cannot read " + what + " file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string content = ss.str();
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r' || content.back() == ' ' ||
                              content.back() == '\t')) {
    content.pop_back();
  }
  if (content.empty()) return credential_error(errc::kCredentialUnavailable, credential + ": " + what + " file " + path + " is empty");
  return content;
}

namespace {
// Token lifetimes are taken as at most a day (Entra ID issues 1-24 h): a longer figure could only
// delay the refresh, and an absurd one (1e300, 2^63) would overflow the clock arithmetic.
constexpr long long kMaxTokenLifetimeSeconds = 24 * 3600;

// Integers beyond +-1e18 (and non-finite doubles) clamp to +-1e18, which every caller treats as out
// of range: the conversion from double is then always defined.
std::optional<long long> number_field(const nlohmann::json& j, const char* key) {
  constexpr long long kLimit = 1000000000000000000LL;
  if (!j.contains(key)) return std::nullopt;
  const auto& v = j[key];
  if (v.is_number_unsigned()) return v.get<unsigned long long>() > static_cast<unsigned long long>(kLimit) ? kLimit : v.get<long long>();
  if (v.is_number_integer()) return std::clamp(v.get<long long>(), -kLimit, kLimit);
  if (v.is_number()) {
    const double d = v.get<double>();
    if (std::isnan(d)) return std::nullopt;
    return d >= 1e18 ? kLimit : d <= -1e18 ? -kLimit : static_cast<long long>(d);
  }
  if (v.is_string()) {
    const auto s = v.get<std::string>();
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoll(s);
  }
  return std::nullopt;
}
}  // namespace

Result<AccessToken> parse_token_response(const Result<Response>& result, const std::string& credential,
                                         const std::string& endpoint) {
  if (!result) {
    ArmError e = result.error();
    e.message = credential + ": token request to " + endpoint + " failed: " + e.message;
    return e;
  }
  const auto& response = result.value();
  if (response.status < 200 || response.status > 299) {
    ArmError e = error_from_response(response);
    e.message = credential + ": token request to " + endpoint + " answered " + std::to_string(response.status) +
                (e.code.empty() ? "" : " " + e.code) + (e.message.empty() ? "" : ": " + e.message);
    e.code = errc::kAuthenticationFailed;
    e.retryable = response.status == 429 || response.status >= 500;
    return e;
  }
  const auto bad = [&](const std::string& why) -> Result<AccessToken> {
    ArmError e = credential_error(errc::kAuthenticationFailed,
                                  credential + ": malformed token response from " + endpoint + ": " + why);
    e.http_status = response.status;
    e.request_id = response.request_id;
    return e;
  };
  const auto j = config::parse_untrusted_json(response.body).value;  // null when not JSON
  if (!j.is_object()) return bad("not a JSON object");
  if (!j.contains("access_token") || !j["access_token"].is_string() || j["access_token"].get<std::string>().empty()) {
    return bad("no \"access_token\" string");
  }
  AccessToken token;
  token.token = j["access_token"].get<std::string>();
  const auto now = std::chrono::steady_clock::now();
  if (const auto expires_in = number_field(j, "expires_in")) {
    if (*expires_in <= 0) return bad("\"expires_in\" is not positive");
    token.expires_at = now + std::chrono::seconds(std::min(*expires_in, kMaxTokenLifetimeSeconds));
  } else if (const auto expires_on = number_field(j, "expires_on")) {
    const auto wall_now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    if (*expires_on <= wall_now) return bad("\"expires_on\" is in the past");
    token.expires_at = now + std::chrono::seconds(std::min(*expires_on - wall_now, kMaxTokenLifetimeSeconds));
  } else {
    return bad("neither \"expires_in\" nor \"expires_on\" is a number");
  }
  return token;
}

}  // namespace bai2aml::azure::detail
