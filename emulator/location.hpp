// ARM location names compare without case and spaces ("East US" is "eastus"): the one spelling the
// emulator keys regions by, so that a compute's region, the usages URL and the quota check agree.
#pragma once

#include <cctype>
#include <string>

namespace bai2aml::emulator {

inline std::string normalize_location(const std::string& location) {
  std::string out;
  for (char c : location)
    if (c != ' ') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace bai2aml::emulator
