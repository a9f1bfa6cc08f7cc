// Reads one JSON object of the config, field by field, recording every problem with its JSON path
// instead of stopping at the first: a config is reported whole. Keys nobody asked for are errors,
// with a "did you mean" suggestion among the keys that were asked for.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/diagnostics.hpp"

namespace bai2aml::config {

class ObjectReader {
 public:
  // obj may be nullptr (the section is absent: every field takes its default).
  ObjectReader(const nlohmann::json* obj, std::string path, Diagnostics& diags);

  std::optional<std::string> string(const std::string& key);
  std::optional<bool> boolean(const std::string& key);
  std::optional<long long> integer(const std::string& key, long long min, long long max);
  std::optional<std::vector<std::string>> string_array(const std::string& key);
  // Returns the object at key (nullptr when absent or not an object; the latter is reported).
  const nlohmann::json* object(const std::string& key);

  template <class E>
  std::optional<E> choice(const std::string& key, std::initializer_list<std::pair<const char*, E>> options);

  std::string path_of(const std::string& key) const;
  Diagnostics& diagnostics() { return diags_; }

  // Reports the keys that were never asked for. Call once, after every field was read.
  void finish();

 private:
  const nlohmann::json* field(const std::string& key);
  void type_error(const std::string& key, const char* expected);

  const nlohmann::json* obj_;
  std::string path_;
  Diagnostics& diags_;
  std::set<std::string> known_;
};

std::string json_type_name(const nlohmann::json& j);
std::string join_path(const std::string& parent, const std::string& key);  // a.b, or a["odd key"]

template <class E>
std::optional<E> ObjectReader::choice(const std::string& key,
                                      std::initializer_list<std::pair<const char*, E>> options) {
  auto s = string(key);
  if (!s) return std::nullopt;
  std::string allowed;
  for (const auto& [name, value] : options) {
    if (*s == name) return value;
    allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  }
  diags_.error(path_of(key), "\"" + *s + "\" is not one of " + allowed);
  return std::nullopt;
}

}  // namespace bai2aml::config
