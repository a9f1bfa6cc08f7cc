// Schema checks for request bodies, shared by the per-kind validators: each call checks one property
// (presence, JSON type, enum, pattern) and remembers the first violation as an ARM error naming the
// property's path, e.g. "properties.properties.vmPriority".
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace bai2aml::emulator {

struct ArmError {
  int status = 400;
  std::string code;
  std::string message;
};
using Validation = std::optional<ArmError>;

// Error codes the emulator uses for request validation (documented in emulator/README.md).
inline constexpr const char* kInvalidRequestContent = "InvalidRequestContent";    // not JSON / not an object
inline constexpr const char* kMissingRequiredProperty = "MissingRequiredProperty";  // required property absent
inline constexpr const char* kInvalidParameter = "InvalidParameter";  // wrong type, enum, pattern or range
inline constexpr const char* kInvalidResourceName = "InvalidResourceName";
inline constexpr const char* kPropertyChangeNotAllowed = "PropertyChangeNotAllowed";  // 409

class BodyChecker {
 public:
  // Each returns the property when present and well-typed, else nullptr (recording a violation when the
  // property is required or present with the wrong type). `path` is the parent's path ("" for the root).
  const nlohmann::json* object(const nlohmann::json* parent, const std::string& path, const char* key,
                               bool required = false);
  const nlohmann::json* string(const nlohmann::json* parent, const std::string& path, const char* key,
                               bool required = false, bool non_empty = false);
  const nlohmann::json* integer(const nlohmann::json* parent, const std::string& path, const char* key,
                                bool required = false, long long min = 0);
  const nlohmann::json* boolean(const nlohmann::json* parent, const std::string& path, const char* key,
                                bool required = false);
  const nlohmann::json* enumeration(const nlohmann::json* parent, const std::string& path, const char* key,
                                    std::initializer_list<const char*> values, bool required = false);
  // A string-valued map (tags, environment variables).
  void string_map(const nlohmann::json* parent, const std::string& path, const char* key);
  // ISO-8601 duration (PT5M, P1DT2H, PT0.5S).
  void duration(const nlohmann::json* parent, const std::string& path, const char* key);
  // Fails when `obj` has a key not in `allowed` (the spec's additionalProperties: false).
  void only_keys(const nlohmann::json* obj, const std::string& path, std::initializer_list<const char*> allowed);

  void fail(const std::string& code, const std::string& message, int status = 400);
  bool ok() const { return !error_; }
  const Validation& result() const { return error_; }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  const nlohmann::json* lookup(const nlohmann::json* parent, const std::string& path, const char* key, bool required);
  Validation error_;
};

// Parses a request body that must be a JSON object; an empty body counts as {} when allow_empty.
Validation parse_body(const std::string& text, nlohmann::json& out, bool allow_empty = false);

bool is_iso8601_duration(const std::string& s);

}  // namespace bai2aml::emulator
