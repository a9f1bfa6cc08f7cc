#include "reconcile/normalize.hpp"

#include <cmath>
#include <cstdio>
#include <set>

#include "reconcile/text.hpp"
#include "translate/secret_ref.hpp"

namespace bai2aml::reconcile {
namespace {

using nlohmann::json;

// Read-only fields, wherever they appear in a body.
const std::set<std::string>& server_populated() {
  static const std::set<std::string> names = {
      "provisioningState", "createdOn", "modifiedOn", "systemData", "etag",
      "nodeStateCounts", "allocationState", "allocationStateTransitionTime", "currentNodeCount",
      "targetNodeCount", "provisioningErrors", "isAttachedCompute", "errors",
      "serviceProvisionedResourceGroup", "discoveryUrl", "privateLinkCount", "workspaceId",
      "mlFlowTrackingUri", "notebookInfo", "privateEndpointConnections", "storageHnsEnabled",
      "principalId", "tenantId", "latestVersion", "nextVersion"};
  return names;
}

// Fields present only at the top of an ARM envelope that the server fills.
const std::set<std::string>& envelope_fields() {
  static const std::set<std::string> names = {"id", "name", "type", "etag", "systemData"};
  return names;
}

// Fields directly under "properties" that the server fills for jobs and assets.
const std::set<std::string>& properties_server_fields() {
  static const std::set<std::string> names = {"status", "services", "provisioningState"};
  return names;
}

// Secret values: write-only, never returned by GET.
const std::set<std::string>& secret_fields() {
  static const std::set<std::string> names = {"key", "sasToken", "clientSecret", "certificate",
                                              "adminUserPassword", "adminUserSshPublicKey", "password"};
  return names;
}
bool holds_secrets(const std::string& key) { return key == "secrets" || key == "userAccountCredentials"; }

// Enumerations the service accepts in any case and may return in another.
const std::set<std::string>& enum_fields() {
  static const std::set<std::string> names = {
      "computeType", "vmPriority", "osType", "remoteLoginPortPublicAccess", "datastoreType",
      "credentialsType", "secretsType", "jobType", "distributionType", "jobLimitsType", "jobInputType",
      "jobOutputType", "mode", "identityType", "publicNetworkAccess", "environmentType", "vmSize",
      "protocol", "type", "tier", "status", "isolationMode", "unit"};
  return names;
}

const std::set<std::string>& duration_fields() {
  static const std::set<std::string> names = {"nodeIdleTimeBeforeScaleDown", "timeout", "maxWallClockTime",
                                              "trialTimeout", "idleTimeBeforeShutdown"};
  return names;
}

const std::set<std::string>& location_fields() {
  static const std::set<std::string> names = {"location", "computeLocation"};
  return names;
}

bool is_arm_id_text(const std::string& s) {
  static const std::string prefix = "/subscriptions/";
  return s.size() > prefix.size() && ascii_lower(s.substr(0, prefix.size())) == prefix;
}

std::string canonical_duration(double seconds) {
  char buf[64];
  if (std::floor(seconds) == seconds && std::fabs(seconds) < 1e15) {
    std::snprintf(buf, sizeof buf, "PT%.0fS", seconds);
  } else {
    std::snprintf(buf, sizeof buf, "PT%.6gS", seconds);
  }
  return buf;
}

std::string normalize_string(const std::string& key, const std::string& value) {
  if (duration_fields().count(key)) {
    if (const auto secs = duration_seconds(value)) return canonical_duration(*secs);
    return value;
  }
  if (location_fields().count(key)) {
    std::string out;
    for (char c : ascii_lower(value)) {
      if (c != ' ') out.push_back(c);
    }
    return out;
  }
  if (enum_fields().count(key) || is_arm_id_text(value)) return ascii_lower(value);
  return value;
}

json normalize_value(const std::string& key, const json& value, int depth);

json normalize_object(const std::string& self_key, const json& obj, int depth) {
  json out = json::object();
  for (const auto& [k, v] : obj.items()) {
    if (v.is_null()) continue;
    if (translate::is_secret_ref(v)) continue;
    if (server_populated().count(k)) continue;
    if (depth == 0 && envelope_fields().count(k)) continue;
    if (depth == 1 && self_key == "properties" && properties_server_fields().count(k)) continue;
    if (holds_secrets(self_key) && secret_fields().count(k)) continue;
    // Keys that are ARM ids (userAssignedIdentities) compare case-insensitively too.
    const std::string out_key = is_arm_id_text(k) ? ascii_lower(k) : k;
    out[out_key] = normalize_value(k, v, depth + 1);
  }
  return out;
}

json normalize_value(const std::string& key, const json& value, int depth) {
  if (value.is_object()) return normalize_object(key, value, depth);
  if (value.is_array()) {
    json out = json::array();
    for (const auto& item : value) {
      if (item.is_null() || translate::is_secret_ref(item)) continue;
      out.push_back(normalize_value(key, item, depth + 1));
    }
    return out;
  }
  if (value.is_string()) return normalize_string(key, value.get<std::string>());
  return value;
}

bool scalars_equal(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  return a == b;
}

bool is_empty_container(const json& v) { return (v.is_object() || v.is_array()) && v.empty(); }

// JSON pointer escaping (RFC 6901).
std::string escape(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

void diff_into(const json& desired, const json& observed, const std::string& path, std::vector<std::string>& out) {
  if (desired.is_object()) {
    if (!observed.is_object()) {
      out.push_back(path.empty() ? "/" : path);
      return;
    }
    for (const auto& [k, v] : desired.items()) {
      const std::string child = path + "/" + escape(k);
      const auto it = observed.find(k);
      if (it == observed.end()) {
        if (is_empty_container(v)) continue;
        if (holds_secrets(k) && v.is_object()) continue;  // write-only content, omitted by GET
        out.push_back(child);
        continue;
      }
      diff_into(v, *it, child, out);
    }
    return;
  }
  if (desired.is_array()) {
    if (!observed.is_array() || observed.size() != desired.size()) {
      out.push_back(path.empty() ? "/" : path);
      return;
    }
    for (std::size_t i = 0; i < desired.size(); ++i) {
      diff_into(desired[i], observed[i], path + "/" + std::to_string(i), out);
    }
    return;
  }
  if (!scalars_equal(desired, observed)) out.push_back(path.empty() ? "/" : path);
}

// Parses "<number><unit>" runs of an ISO-8601 duration section.
bool parse_iso_section(const std::string& text, std::size_t& pos, bool time_part, double& total) {
  while (pos < text.size() && text[pos] != 'T') {
    std::size_t start = pos;
    while (pos < text.size() && (std::isdigit(static_cast<unsigned char>(text[pos])) || text[pos] == '.')) ++pos;
    if (pos == start || pos >= text.size()) return false;
    double n = 0;
    try {
      n = std::stod(text.substr(start, pos - start));
    } catch (...) {
      return false;
    }
    const char unit = text[pos++];
    if (!time_part && unit == 'D') total += n * 86400;
    else if (time_part && unit == 'H') total += n * 3600;
    else if (time_part && unit == 'M') total += n * 60;
    else if (time_part && unit == 'S') total += n;
    else return false;  // Y, M(onth), W or junk: no fixed length in seconds
  }
  return true;
}

std::optional<double> parse_iso_duration(const std::string& raw) {
  std::string text;
  for (char c : raw) text.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (text.size() < 3 || text[0] != 'P') return std::nullopt;
  std::size_t pos = 1;
  double total = 0;
  if (!parse_iso_section(text, pos, false, total)) return std::nullopt;
  if (pos < text.size()) {
    ++pos;  // 'T'
    if (pos >= text.size()) return std::nullopt;
    if (!parse_iso_section(text, pos, true, total)) return std::nullopt;
    if (pos != text.size()) return std::nullopt;
  }
  return total;
}

std::optional<double> parse_timespan(const std::string& text) {
  // [d.]hh:mm:ss[.fraction]
  int days = 0, hours = 0, minutes = 0;
  double seconds = 0;
  std::string rest = text;
  const auto first_colon = rest.find(':');
  if (first_colon == std::string::npos) return std::nullopt;
  const auto dot = rest.find('.');
  try {
    std::size_t used = 0;
    if (dot != std::string::npos && dot < first_colon) {
      days = std::stoi(rest.substr(0, dot), &used);
      if (used != dot) return std::nullopt;
      rest = rest.substr(dot + 1);
    }
    const auto c1 = rest.find(':');
    const auto c2 = rest.find(':', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) return std::nullopt;
    hours = std::stoi(rest.substr(0, c1), &used);
    if (used != c1) return std::nullopt;
    minutes = std::stoi(rest.substr(c1 + 1, c2 - c1 - 1), &used);
    if (used != c2 - c1 - 1) return std::nullopt;
    const std::string sec = rest.substr(c2 + 1);
    seconds = std::stod(sec, &used);
    if (used != sec.size()) return std::nullopt;
  } catch (...) {
    return std::nullopt;
  }
  if (days < 0 || hours < 0 || minutes < 0 || minutes > 59 || seconds < 0 || seconds >= 60) return std::nullopt;
  return days * 86400.0 + hours * 3600.0 + minutes * 60.0 + seconds;
}

}  // namespace

std::optional<double> duration_seconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text[0] == 'P' || text[0] == 'p') return parse_iso_duration(text);
  return parse_timespan(text);
}

json normalize(translate::Kind /*kind*/, const json& body) {
  if (!body.is_object()) return json::object();
  return normalize_object("", body, 0);
}

std::vector<std::string> differences(const json& desired, const json& observed) {
  std::vector<std::string> out;
  diff_into(desired, observed, "", out);
  return out;
}

}  // namespace bai2aml::reconcile
