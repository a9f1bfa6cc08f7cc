// Pure predicates for the value formats a config may contain. No I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace bai2aml::config {

bool is_guid(const std::string& s);
bool is_resource_group_name(const std::string& s);  // 1-90: letters, digits, _ - . ( ), not ending in '.'
bool is_location_name(const std::string& s);        // lower-case letters and digits ("eastus2")
bool is_storage_account_name(const std::string& s); // 3-24 lower-case letters and digits
bool is_aml_workspace_name(const std::string& s);   // 3-33, starts alphanumeric, then letters, digits, _ -

// An ARM resource id of the given provider type, e.g. "Microsoft.KeyVault/vaults" (case-insensitive).
bool is_arm_resource_id(const std::string& s, const std::string& provider_type);

// RFC 3339 date-time ("2019-03-31T00:00:00Z", "2019-03-31T02:00:00.5+02:00"); nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& s);
std::string format_rfc3339(std::chrono::system_clock::time_point t);  // UTC, "YYYY-MM-DDTHH:MM:SSZ"

struct ParsedUrl {
  std::string scheme;  // lower case
  std::string host;    // without brackets for IPv6
  int port = 0;        // 0 when absent
  std::string path;
};
std::optional<ParsedUrl> parse_url(const std::string& s);
bool is_loopback_host(const std::string& host);  // 127.0.0.0/8, ::1, localhost

// Edit distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace bai2aml::config
