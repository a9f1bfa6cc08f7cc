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

TEST_CASE("RFC 3339 parse and format round-trip") {
  auto t = parse_rfc3339("2019-03-31T00:00:00Z");
  REQUIRE(t);
  CHECK(format_rfc3339(*t) == "2019-03-31T00:00:00Z");
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() == 1553990400);
  CHECK(format_rfc3339(*parse_rfc3339("2024-02-29T23:59:59.999-01:00")) == "2024-03-01T00:59:59Z");
  CHECK_FALSE(parse_rfc3339("2023-02-29T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2019-03-31T00:00:00"));
  CHECK_FALSE(parse_rfc3339("2019-13-01T00:00:00Z"));
}

TEST_CASE("URLs and loopback hosts") {
  auto u = parse_url("http://[::1]:8080/x?y");
  REQUIRE(u);
  CHECK(u->scheme == "http");
  CHECK(u->host == "::1");
  CHECK(u->port == 8080);
  CHECK(is_loopback_host(u->host));
  CHECK(is_loopback_host("127.3.4.5"));
  CHECK(is_loopback_host("localhost"));
  CHECK_FALSE(is_loopback_host("128.0.0.1"));
  CHECK_FALSE(is_loopback_host("127.0.0.256"));
  CHECK_FALSE(parse_url("management.azure.com"));
  CHECK_FALSE(parse_url("https://host:99999"));
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
