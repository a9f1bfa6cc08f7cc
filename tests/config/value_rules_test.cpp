#include <catch2/catch.hpp>

#include "config/value_rules.hpp"

using namespace bai2aml::config;

TEST_CASE("GUIDs") {
  CHECK(is_guid("00000000-0000-0000-0000-000000000001"));
  CHECK(is_guid("72F988BF-86f1-41af-91ab-2d7cd011db47"));
  CHECK_FALSE(is_guid("00000000-0000-0000-0000-00000000001"));
  CHECK_FALSE(is_guid("{00000000-0000-0000-0000-000000000001}"));
  CHECK_FALSE(is_guid(""));
}

TEST_CASE("ARM resource ids") {
  const std::string sub = "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg/providers/";
  CHECK(is_arm_resource_id(sub + "Microsoft.KeyVault/vaults/kv1", "Microsoft.KeyVault/vaults"));
  CHECK(is_arm_resource_id(sub + "microsoft.keyvault/VAULTS/kv1", "Microsoft.KeyVault/vaults"));
  CHECK_FALSE(is_arm_resource_id(sub + "Microsoft.KeyVault/vaults/kv1/extra", "Microsoft.KeyVault/vaults"));
  CHECK_FALSE(is_arm_resource_id(sub + "Microsoft.Storage/storageAccounts/s", "Microsoft.KeyVault/vaults"));
  CHECK_FALSE(is_arm_resource_id("/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
                                 "Microsoft.KeyVault/vaults"));
}

TEST_CASE("names") {
  CHECK(is_storage_account_name("batchaidata"));
  CHECK_FALSE(is_storage_account_name("Batch"));
  CHECK_FALSE(is_storage_account_name("ab"));
  CHECK(is_resource_group_name("my-rg_(1).x"));
  CHECK_FALSE(is_resource_group_name("rg."));
  CHECK(is_aml_workspace_name("research-aml"));
  CHECK_FALSE(is_aml_workspace_name("-bad"));
  CHECK(edit_distance("polcy", "policy") == 1);
}
