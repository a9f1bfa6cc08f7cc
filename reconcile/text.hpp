// Small ASCII text helpers shared by the reconcile layer (ARM names, enums and ids are ASCII).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace bai2aml::reconcile {

inline std::string ascii_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

inline bool iequals(const std::string& a, const std::string& b) { return ascii_lower(a) == ascii_lower(b); }

}  // namespace bai2aml::reconcile
