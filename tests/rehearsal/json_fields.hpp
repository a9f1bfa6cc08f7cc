// Small helpers both sides of the rehearsal share: reading fields of a Batch AI / AML JSON body where
// absence and another type mean "not given" (the corpus holds hand-written jobs), and lower-casing.
#pragma once

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

namespace bai2aml::rehearsal {

inline std::string str(const nlohmann::json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

inline int integer(const nlohmann::json& o, const char* key, int fallback) {
  const auto it = o.find(key);
  return it != o.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

}  // namespace bai2aml::rehearsal
