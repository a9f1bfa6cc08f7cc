// What a GET shows: the stored resource minus the secrets the real services never return (datastore
// account keys and SAS tokens, admin passwords and SSH keys, Batch AI secret values and storage keys).
#pragma once

#include <nlohmann/json.hpp>

#include "emulator/resource_kind.hpp"

namespace bai2aml::emulator {

nlohmann::json redact_secrets(KindId kind, nlohmann::json resource);

}  // namespace bai2aml::emulator
