#include "translate/secret_scrub.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "config/redaction.hpp"
#include "translate/secret_ref.hpp"

namespace bai2aml::translate {
namespace {

using nlohmann::json;

// ASCII case-insensitive equality with a lower-case literal, without a lower-cased copy: scrub()
// visits every key of every resource the store writes, 30,000 resources a pass.
bool equals_lower(const std::string& s, const char* lower_literal) {
  std::size_t i = 0;
  for (; lower_literal[i] != '\0'; ++i) {
    if (i >= s.size()) return false;
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_literal[i]) return false;
  }
  return i == s.size();
}

// Property names whose value is a secret wherever they occur (compared lower-case).
bool secret_property(const std::string& key) {
  static const std::array<const char*, 22> names = {
      "accountkey",          "adminuserpassword",   "adminusersshpublickey",       "password",
      "instrumentationkey",  "userstoragekey",      "appinsightsinstrumentationkey", "accesstoken",
      "refreshtoken",        "relayconnectionstring", "servicebusconnectionstring", "privatekeydata",
      "publickeydata",       "primaryaccesskey",    "secondaryaccesskey",          "securitytoken",
      "clientsecret",        "developertoken",      "sasuri",                      "sastoken",
      "primarykey",          "secondarykey"};
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return equals_lower(key, n); });
}

// Free text that bai2aml only ever quotes in findings, never sends to AML: a mount command
// (-o password=...) and a node setup task's command line. Redacted in place. A job's command line and
// its jobPreparation are the AML job's command and so are kept verbatim.
bool free_text_only_quoted(const std::string& parent_key, const std::string& key) {
  return key == "mountCommand" || (key == "commandLine" && equals_lower(parent_key, "setuptask"));
}

void scrub(json& j, const std::string& parent_key) {
  if (j.is_array()) {
    // Batch AI EnvironmentVariableWithSecretValue: secrets[].value.
    const bool secret_list = equals_lower(parent_key, "secrets");
    for (auto& e : j) {
      if (secret_list && e.is_object()) e.erase("value");
      scrub(e, "");
    }
    return;
  }
  if (!j.is_object() || is_secret_ref(j)) return;
  if (equals_lower(parent_key, "secrets") || equals_lower(parent_key, "sslconfiguration")) {
    // AML DatastoreSecrets (AccountKey, Sas, ServicePrincipal, Certificate): only the type is not secret.
    for (auto it = j.begin(); it != j.end();) {
      if (it.key() == "secretsType" || it.key() == "status" || is_secret_ref(it.value())) {
        ++it;
      } else {
        it = j.erase(it);
      }
    }
    return;
  }
  for (auto it = j.begin(); it != j.end();) {
    if (free_text_only_quoted(parent_key, it.key()) && it.value().is_string()) {
      it.value() = config::redact_secrets(it.value().get<std::string>());
      ++it;
      continue;
    }
    if (secret_property(it.key()) && !is_secret_ref(it.value())) {
      it = j.erase(it);
      continue;
    }
    // AML online endpoint keys (EndpointPropertiesBase.keys).
    if (it.key() == "keys" && it.value().is_object()) {
      it = j.erase(it);
      continue;
    }
    scrub(it.value(), it.key());
    ++it;
  }
}

// Every member scrub() may change or drop is named by one of these keys (or sits under one).
bool scrub_acts_on(const std::string& key) {
  return secret_property(key) || key == "keys" || key == "mountCommand" || equals_lower(key, "secrets") ||
         equals_lower(key, "sslconfiguration") || equals_lower(key, "setuptask");
}

}  // namespace

bool holds_secret_members(const json& arm_resource) {
  if (arm_resource.is_array()) {
    for (const auto& e : arm_resource)
      if (holds_secret_members(e)) return true;
    return false;
  }
  if (!arm_resource.is_object()) return false;
  for (auto it = arm_resource.begin(); it != arm_resource.end(); ++it)
    if (scrub_acts_on(it.key()) || holds_secret_members(it.value())) return true;
  return false;
}

json scrub_secrets(const json& arm_resource) {
  json copy = arm_resource;
  scrub(copy, "");
  return copy;
}

void scrub_secrets_in_place(json& arm_resource) { scrub(arm_resource, ""); }

}  // namespace bai2aml::translate
