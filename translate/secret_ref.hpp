// A secret never enters a desired spec, the database or a log: the spec carries a reference to
// the file that holds it, {"$secretFile": "/path"}, and the executor replaces the reference with
// the file's content only in the request body it sends.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace bai2aml::translate {

inline constexpr const char* kSecretFileKey = "$secretFile";

inline nlohmann::json secret_file_ref(const std::string& path) { return {{kSecretFileKey, path}}; }

inline bool is_secret_ref(const nlohmann::json& j) {
  return j.is_object() && j.size() == 1 && j.contains(kSecretFileKey) && j[kSecretFileKey].is_string();
}

}  // namespace bai2aml::translate
