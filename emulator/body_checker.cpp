#include "emulator/body_checker.hpp"

#include <cctype>
#include <regex>

#include "config/untrusted_json.hpp"

namespace bai2aml::emulator {

void BodyChecker::fail(const std::string& code, const std::string& message, int status) {
  if (!error_) error_ = ArmError{status, code, message};
}

const nlohmann::json* BodyChecker::lookup(const nlohmann::json* parent, const std::string& path, const char* key,
                                          bool required) {
  if (!ok() || parent == nullptr || !parent->is_object()) return nullptr;
  const nlohmann::json* v = parent->contains(key) ? &parent->at(key) : nullptr;
  if (v == nullptr || v->is_null()) {
    if (required) fail(kMissingRequiredProperty, "The request body is missing the required property '" + join(path, key) + "'.");
    return nullptr;
  }
  return v;
}

const nlohmann::json* BodyChecker::object(const nlohmann::json* parent, const std::string& path, const char* key,
                                          bool required) {
  const nlohmann::json* v = lookup(parent, path, key, required);
  if (v && !v->is_object()) {
    fail(kInvalidParameter, "Property '" + join(path, key) + "' must be an object.");
    return nullptr;
  }
  return v;
}

const nlohmann::json* BodyChecker::string(const nlohmann::json* parent, const std::string& path, const char* key,
                                          bool required, bool non_empty) {
  const nlohmann::json* v = lookup(parent, path, key, required);
  if (!v) return nullptr;
  if (!v->is_string()) {
    fail(kInvalidParameter, "Property '" + join(path, key) + "' must be a string.");
    return nullptr;
  }
  if (non_empty && v->get_ref<const std::string&>().empty()) {
    fail(kInvalidParameter, "Property '" + join(path, key) + "' must not be empty.");
    return nullptr;
  }
  return v;
}

const nlohmann::json* BodyChecker::integer(const nlohmann::json* parent, const std::string& path, const char* key,
                                           bool required, long long min) {
  const nlohmann::json* v = lookup(parent, path, key, required);
  if (!v) return nullptr;
  if (!v->is_number_integer()) {
    fail(kInvalidParameter, "Property '" + join(path, key) + "' must be an integer.");
    return nullptr;
  }
  if (v->get<long long>() < min) {
    fail(kInvalidParameter, "Property '" + join(path, key) + "' must be at least " + std::to_string(min) + ".");
    return nullptr;
  }
  return v;
}

const nlohmann::json* BodyChecker::boolean(const nlohmann::json* parent, const std::string& path, const char* key,
                                           bool required) {
  const nlohmann::json* v = lookup(parent, path, key, required);
  if (v && !v->is_boolean()) {
    fail(kInvalidParameter, "Property '" + join(path, key) + "' must be a boolean.");
    return nullptr;
  }
  return v;
}

const nlohmann::json* BodyChecker::enumeration(const nlohmann::json* parent, const std::string& path,
                                               const char* key, std::initializer_list<const char*> values,
                                               bool required) {
  const nlohmann::json* v = string(parent, path, key, required);
  if (!v) return nullptr;
  const auto& s = v->get_ref<const std::string&>();
  std::string list;
  for (const char* allowed : values) {
    if (s == allowed) return v;
    list += (list.empty() ? "" : ", ") + std::string(allowed);
  }
  fail(kInvalidParameter, "Property '" + join(path, key) + "' has the value '" + s + "', which is not one of: " + list + ".");
  return nullptr;
}

void BodyChecker::string_map(const nlohmann::json* parent, const std::string& path, const char* key) {
  const nlohmann::json* m = object(parent, path, key);
  if (!m) return;
  for (const auto& [k, v] : m->items())
    if (!v.is_string() && !v.is_null()) {
      fail(kInvalidParameter, "Property '" + join(join(path, key), k) + "' must be a string.");
      return;
    }
}

void BodyChecker::duration(const nlohmann::json* parent, const std::string& path, const char* key) {
  const nlohmann::json* v = string(parent, path, key);
  if (v && !is_iso8601_duration(v->get_ref<const std::string&>()))
    fail(kInvalidParameter, "Property '" + join(path, key) + "' must be an ISO-8601 duration such as PT5M, not '" +
                                v->get_ref<const std::string&>() + "'.");
}

void BodyChecker::only_keys(const nlohmann::json* obj, const std::string& path,
                            std::initializer_list<const char*> allowed) {
  if (!ok() || !obj || !obj->is_object()) return;
  for (const auto& [k, v] : obj->items()) {
    bool known = false;
    for (const char* a : allowed) known = known || k == a;
    if (!known) {
      fail(kInvalidParameter, "Property '" + join(path, k) + "' is not allowed here.");
      return;
    }
  }
}

Validation parse_body(const std::string& text, nlohmann::json& out, bool allow_empty) {
  bool blank = true;
  for (char c : text) blank = blank && std::isspace(static_cast<unsigned char>(c));
  if (blank) {
    if (allow_empty) {
      out = nlohmann::json::object();
      return std::nullopt;
    }
    return ArmError{400, kInvalidRequestContent, "The request body is empty; a JSON object is required."};
  }
  auto parsed = config::parse_untrusted_json(text);
  if (!parsed.ok()) return ArmError{400, kInvalidRequestContent, "The request body is not valid JSON: " + parsed.error};
  out = std::move(parsed.value);
  if (!out.is_object()) return ArmError{400, kInvalidRequestContent, "The request body must be a JSON object."};
  return std::nullopt;
}

bool is_iso8601_duration(const std::string& s) {
  static const std::regex re(R"(^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$)");
  if (s.size() < 2 || s == "PT" || s.back() == 'T') return false;
  return std::regex_match(s, re);
}

}  // namespace bai2aml::emulator
