#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "config/config_loader.hpp"
#include "tests/support/support.hpp"

namespace bai2aml::testing {

// A minimal valid config (managed identity: no secret files needed) as JSON, to mutate in tests.
inline nlohmann::json minimal_config() {
  return nlohmann::json::parse(R"({
    "azure": {"auth": {"method": "managed_identity"}},
    "source": {"subscription_id": "00000000-0000-0000-0000-000000000001"},
    "target": {
      "subscription_id": "00000000-0000-0000-0000-000000000002",
      "resource_group": "aml-rg",
      "location": "eastus",
      "workspace_dependencies": {
        "storage_account": "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-rg/providers/Microsoft.Storage/storageAccounts/amlstorage",
        "key_vault": "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-rg/providers/Microsoft.KeyVault/vaults/aml-kv"
      }
    }
  })");
}

inline config::LoadResult load(const nlohmann::json& j, const std::string& base_dir = "/nonexistent",
                               const std::string& creds_dir = "") {
  config::LoadOptions o;
  o.base_directory = base_dir;
  o.credentials_directory = creds_dir;
  return config::load_config_text(j.dump(), o);
}

// The diagnostics of a result as one string, for readable failure messages and substring checks.
inline std::string all_messages(const config::LoadResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics) s += config::format_diagnostic(d) + "\n";
  return s;
}

inline bool has_error(const config::LoadResult& r, const std::string& path, const std::string& fragment) {
  for (const auto& d : r.diagnostics)
    if (d.level == config::Diagnostic::Level::Error && d.path == path && d.message.find(fragment) != std::string::npos)
      return true;
  return false;
}

}  // namespace bai2aml::testing
