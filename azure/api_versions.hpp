// The ARM API versions bai2aml speaks, and the choice of one from a resource path.
#pragma once

#include <string>

namespace bai2aml::azure {

inline constexpr const char* kBatchAiApiVersion = "2018-05-01";  // Microsoft.BatchAI (source)
inline constexpr const char* kAmlApiVersion = "2024-04-01";      // Microsoft.MachineLearningServices (target)
inline constexpr const char* kImdsApiVersion = "2018-02-01";     // managed-identity token endpoint

// The ARM scope every token is requested for (v2.0 endpoint) and the resource for IMDS (v1 form).
inline constexpr const char* kArmScope = "https://management.azure.com/.default";
inline constexpr const char* kArmResource = "https://management.azure.com/";

// The api-version for an ARM path, from its provider namespace (case-insensitive); empty when the
// path names neither provider (the caller must then put api-version in the URL itself).
std::string api_version_for(const std::string& path);

}  // namespace bai2aml::azure
