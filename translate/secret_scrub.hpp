// Secret-free copies of ARM resources, for everything that stores or prints them (the state store,
// inventory export, logs). Which fields are secrets comes from the specs: Batch AI 2018-05-01
// (storage accountKey, adminUserPassword, secrets[].value, registry password, Application Insights
// instrumentationKey) and every property AML 2024-04-01 marks x-ms-secret (datastore
// credentials.secrets, userAccountCredentials.adminUserPassword / adminUserSshPublicKey, keys and
// tokens). Key Vault secret references (*SecretReference) and $secretFile placeholders are not
// secrets and are kept. Free text that is only ever quoted (mountCommand, setupTask.commandLine)
// passes through config::redact_secrets.
#pragma once

#include <nlohmann/json.hpp>

namespace bai2aml::translate {

nlohmann::json scrub_secrets(const nlohmann::json& arm_resource);
// The same, on a resource the caller owns (no copy).
void scrub_secrets_in_place(nlohmann::json& arm_resource);
// False when the resource has no member scrub_secrets() looks at: it would return an equal copy.
// Read-only and allocation-free, so that storing 30,000 resources a pass copies only those that need it.
bool holds_secret_members(const nlohmann::json& arm_resource);

}  // namespace bai2aml::translate
