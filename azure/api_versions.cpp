#include "azure/api_versions.hpp"

#include <algorithm>
#include <cctype>

namespace bai2aml::azure {

std::string api_version_for(const std::string& path) {
  std::string lower(path.size(), '\0');
  std::transform(path.begin(), path.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("/providers/microsoft.machinelearningservices/") != std::string::npos ||
      lower.find("/providers/microsoft.machinelearningservices?") != std::string::npos) {
    return kAmlApiVersion;
  }
  if (lower.find("/providers/microsoft.batchai/") != std::string::npos) return kBatchAiApiVersion;
  // Collections end with the provider's first segment: ".../providers/Microsoft.BatchAI/workspaces".
  const auto ends_with = [&lower](const std::string& s) {
    return lower.size() >= s.size() && lower.compare(lower.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with("/providers/microsoft.batchai")) return kBatchAiApiVersion;
  if (ends_with("/providers/microsoft.machinelearningservices")) return kAmlApiVersion;
  return "";
}

}  // namespace bai2aml::azure
