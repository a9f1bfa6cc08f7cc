#include "config/object_reader.hpp"

#include <regex>

#include "config/value_rules.hpp"

namespace bai2aml::config {
namespace {

// Keys that would put a secret inline in the config; they get a pointed message, not "unknown key".
const std::set<std::string>& inline_secret_keys() {
  static const std::set<std::string> keys = {"client_secret", "secret", "password", "account_key", "key",
                                             "storage_key", "token", "access_token", "federated_token",
                                             "admin_user_password", "ssh_private_key", "private_key"};
  return keys;
}

}  // namespace

std::string json_type_name(const nlohmann::json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number_integer() || j.is_number_unsigned()) return "an integer";
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_array()) return "an array";
  return "an object";
}

std::string join_path(const std::string& parent, const std::string& key) {
  static const std::regex plain("^[A-Za-z_][A-Za-z0-9_]*$");
  if (std::regex_match(key, plain)) return parent.empty() ? key : parent + "." + key;
  return parent + "[" + nlohmann::json(key).dump() + "]";
}

ObjectReader::ObjectReader(const nlohmann::json* obj, std::string path, Diagnostics& diags)
    : obj_(obj), path_(std::move(path)), diags_(diags) {}

std::string ObjectReader::path_of(const std::string& key) const { return join_path(path_, key); }

const nlohmann::json* ObjectReader::field(const std::string& key) {
  known_.insert(key);
  diags_.accept_key(path_of(key));
  if (!obj_ || !obj_->is_object()) return nullptr;
  auto it = obj_->find(key);
  if (it == obj_->end() || it->is_null()) return nullptr;
  return &*it;
}

void ObjectReader::type_error(const std::string& key, const char* expected) {
  diags_.error(path_of(key), std::string("must be ") + expected + ", not " + json_type_name(obj_->at(key)));
}

std::optional<std::string> ObjectReader::string(const std::string& key) {
  const auto* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    type_error(key, "a string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> ObjectReader::boolean(const std::string& key) {
  const auto* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    type_error(key, "true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<long long> ObjectReader::integer(const std::string& key, long long min, long long max) {
  const auto* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_number_integer() && !v->is_number_unsigned()) {
    type_error(key, "an integer");
    return std::nullopt;
  }
  if (v->is_number_unsigned() && v->get<unsigned long long>() > static_cast<unsigned long long>(max)) {
    diags_.error(path_of(key), v->dump() + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    return std::nullopt;
  }
  const long long n = v->get<long long>();
  if (n < min || n > max) {
    diags_.error(path_of(key), std::to_string(n) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::vector<std::string>> ObjectReader::string_array(const std::string& key) {
  const auto* v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    type_error(key, "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      diags_.error(path_of(key) + "[" + std::to_string(i) + "]", "must be a string, not " + json_type_name((*v)[i]));
      ok = false;
    } else {
      out.push_back((*v)[i].get<std::string>());
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

const nlohmann::json* ObjectReader::object(const std::string& key) {
  const auto* v = field(key);
  if (!v) return nullptr;
  if (!v->is_object()) {
    type_error(key, "an object");
    return nullptr;
  }
  return v;
}

void ObjectReader::finish() {
  if (!obj_ || !obj_->is_object()) return;
  for (const auto& [key, value] : obj_->items()) {
    if (known_.count(key)) continue;
    if (inline_secret_keys().count(key)) {
      diags_.error(path_of(key),
                   "inline secrets are not accepted: write the secret to a file readable only by bai2aml "
                   "(or pass it with systemd LoadCredential=) and name the file with the matching *_file key");
      continue;
    }
    std::string best;
    std::size_t best_distance = 3;  // suggest only close matches
    for (const auto& k : known_) {
      const std::size_t d = edit_distance(key, k);
      if (d < best_distance) {
        best_distance = d;
        best = k;
      }
    }
    std::string message = "unknown key";
    if (!best.empty()) message += " (did you mean \"" + best + "\"?)";
    std::string allowed;
    for (const auto& k : known_) allowed += (allowed.empty() ? "" : ", ") + k;
    message += "; allowed here: " + allowed;
    diags_.error(path_of(key), message);
  }
}

}  // namespace bai2aml::config
