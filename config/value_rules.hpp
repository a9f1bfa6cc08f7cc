// Pure predicates for the value formats a config may contain. No I/O.
#pragma once

#include <cstddef>
#include <string>

// Date-times and URLs have their own files (every layer uses them); a config holds both.
#include "config/rfc3339.hpp"
#include "config/url.hpp"

namespace bai2aml::config {

bool is_guid(const std::string& s);
bool is_resource_group_name(const std::string& s);  // 1-90: letters, digits, _ - . ( ), not ending in '.'
bool is_location_name(const std::string& s);        // lower-case letters and digits ("eastus2")
bool is_storage_account_name(const std::string& s); // 3-24 lower-case letters and digits
bool is_aml_workspace_name(const std::string& s);   // 3-33, starts alphanumeric, then letters, digits, _ -

// An ARM resource id of the given provider type, e.g. "Microsoft.KeyVault/vaults" (case-insensitive).
bool is_arm_resource_id(const std::string& s, const std::string& provider_type);

// Edit distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace bai2aml::config
