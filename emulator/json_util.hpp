// Small JSON accessors. (nlohmann's value(key, "literal") trips GCC's -Wnull-dereference inside the
// library, so string lookups with a fallback go through string_or.)
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace bai2aml::emulator {

inline std::string string_or(const nlohmann::json& obj, const char* key, const std::string& fallback) {
  if (!obj.is_object() || !obj.contains(key)) return fallback;
  const nlohmann::json& v = obj.at(key);
  const std::string* s = v.get_ptr<const std::string*>();
  return s ? *s : fallback;
}

inline long long int_or(const nlohmann::json& obj, const char* key, long long fallback) {
  if (!obj.is_object() || !obj.contains(key)) return fallback;
  const nlohmann::json& v = obj.at(key);
  return v.is_number_integer() ? v.get<long long>() : fallback;
}

}  // namespace bai2aml::emulator
