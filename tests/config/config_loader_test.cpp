#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "config/config_loader.hpp"
#include "config/value_rules.hpp"
#include "tests/config/config_test_support.hpp"

using namespace bai2aml;
using namespace bai2aml::testing;
using nlohmann::json;

namespace {

// The credential files the example config names, in a directory standing in for $CREDENTIALS_DIRECTORY.
void write_example_credentials(const TempDir& dir) {
  write_file(dir.file("client-secret"), "s3cr3t-value");
  write_file(dir.file("storage-batchaidata"), "a2V5");
  write_file(dir.file("ssh-public-key"), "ssh-rsa AAAA test");
}

}  // namespace

TEST_CASE("the example config loads with every documented value") {
  TempDir creds;
  write_example_credentials(creds);
  config::LoadOptions o;
  o.credentials_directory = creds.path();
  auto r = config::load_config_file(source_dir() + "/config/bai2aml.example.json", o);
  INFO(all_messages(r));
  REQUIRE(r.ok());
  const auto& c = *r.config;
  CHECK(c.cutoff_text == "2019-03-31T00:00:00Z");
  CHECK(config::format_rfc3339(c.cutoff) == "2019-03-31T00:00:00Z");
  CHECK(c.azure.auth.method == config::AuthMethod::ClientSecret);
  CHECK(c.azure.auth.client_secret_file == creds.file("client-secret"));
  CHECK(c.mapping.storage_keys.at("batchaidata") == creds.file("storage-batchaidata"));
  CHECK(c.mapping.file_servers.at("nfs-1").kind == "AzureFile");
  CHECK(c.mapping.ssh.at("*").admin_user_name == "azureuser");
  CHECK(c.mapping.ssh.at("*").password_file.empty());
  CHECK(c.source.resource_groups == std::vector<std::string>{"batchai-rg"});
  CHECK(c.target.workspace_dependencies.container_registry.empty());
  CHECK(c.status.prometheus_file == "/run/bai2aml/bai2aml.prom");
  CHECK(r.diagnostics.empty());
}

TEST_CASE("defaults apply to every key that is left out") {
  auto r = load(minimal_config());
  INFO(all_messages(r));
  REQUIRE(r.ok());
  const auto& c = *r.config;
  CHECK(c.cutoff_text == "2019-03-31T00:00:00Z");
  CHECK(c.interval_seconds == 60);
  CHECK(c.azure.arm_endpoint == "https://management.azure.com");
  CHECK(c.azure.authority == "https://login.microsoftonline.com");
  CHECK_FALSE(c.azure.allow_insecure_loopback);
  CHECK(c.azure.auth.imds_endpoint == "http://169.254.169.254");
  CHECK(c.mapping.manual_scale == config::ManualScale::Elastic);
  CHECK(c.mapping.jobs == config::JobsMode::Queued);
  CHECK(c.policy.prune);
  CHECK_FALSE(c.policy.adopt);
  CHECK_FALSE(c.policy.replace);
  CHECK(c.policy.drift == config::DriftPolicy::Correct);
  CHECK(c.policy.retire_source == config::RetireSource::Never);
  CHECK(c.log.format == config::LogFormat::Text);
}

TEST_CASE("comments are allowed") {
  auto r = config::load_config_text("// leading\n" + minimal_config().dump(2) + "\n/* trailing */\n", {});
  INFO(all_messages(r));
  CHECK(r.ok());
}

TEST_CASE("malformed JSON is reported with line and column") {
  auto r = config::load_config_text("{\n  \"cutoff\": \"x\",\n  oops\n}", {});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].message.find("line 3") != std::string::npos);
}

TEST_CASE("a config that is not an object is refused") {
  auto r = config::load_config_text("[1,2]", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("must be a JSON object") != std::string::npos);
}

TEST_CASE("enums name the allowed values") {
  struct Case {
    std::string pointer, path, allowed;
  };
  const Case cases[] = {
      {"/azure/auth/method", "azure.auth.method", "client_secret, managed_identity, workload_identity, environment"},
      {"/mapping/manual_scale", "mapping.manual_scale", "elastic, fixed"},
      {"/mapping/jobs", "mapping.jobs", "queued, active, none"},
      {"/policy/drift", "policy.drift", "correct, report"},
      {"/policy/retire_source", "policy.retire_source", "never, after_migration, at_cutoff"},
      {"/log/level", "log.level", "trace, debug, info, warn, error"},
      {"/log/format", "log.format", "text, json"},
  };
  for (const auto& c : cases) {
    auto j = minimal_config();
    j[json::json_pointer(c.pointer)] = "password";
    auto r = load(j);
    INFO(c.path << "\n" << all_messages(r));
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, c.path, "\"password\" is not one of " + c.allowed));
  }
}

TEST_CASE("types and ranges are checked") {
  struct Case {
    std::string pointer;
    json value;
    std::string path, fragment;
  };
  const Case cases[] = {
      {"/interval_seconds", "60", "interval_seconds", "must be an integer, not a string"},
      {"/interval_seconds", 1, "interval_seconds", "out of range 5..86400"},
      {"/interval_seconds", 1.5, "interval_seconds", "must be an integer"},
      {"/azure/max_parallel", 0, "azure.max_parallel", "out of range 1..64"},
      {"/azure/max_parallel", 65, "azure.max_parallel", "out of range"},
      {"/azure/allow_insecure_loopback", "yes", "azure.allow_insecure_loopback", "must be true or false"},
      {"/policy/prune", 1, "policy.prune", "must be true or false"},
      {"/mapping/idle_seconds_before_scale_down", -1, "mapping.idle_seconds_before_scale_down", "out of range"},
      {"/source/resource_groups", "rg", "source.resource_groups", "must be an array of strings"},
      {"/source/resource_groups", json::array({"ok", 3}), "source.resource_groups[1]", "must be a string"},
      {"/source/resource_groups", json::array({"bad/name"}), "source.resource_groups[0]", "not a valid resource group"},
      {"/azure", "x", "azure", "must be an object"},
  };
  for (const auto& c : cases) {
    auto j = minimal_config();
    j[json::json_pointer(c.pointer)] = c.value;
    auto r = load(j);
    INFO(c.pointer << " = " << c.value.dump() << "\n" << all_messages(r));
    CHECK_FALSE(r.ok());
    CHECK(has_error(r, c.path, c.fragment));
  }
}

TEST_CASE("cutoff must be RFC 3339") {
  for (std::string bad : {"2019-03-31", "31/03/2019", "2019-02-30T00:00:00Z", "2019-03-31T25:00:00Z", "soon"}) {
    auto j = minimal_config();
    j["cutoff"] = bad;
    auto r = load(j);
    INFO(bad);
    CHECK(has_error(r, "cutoff", "not an RFC 3339 date-time"));
  }
  auto j = minimal_config();
  j["cutoff"] = "2019-03-31T02:00:00+02:00";
  auto r = load(j);
  REQUIRE(r.ok());
  CHECK(config::format_rfc3339(r.config->cutoff) == "2019-03-31T00:00:00Z");
}

TEST_CASE("subscription ids must be GUIDs and are required") {
  auto j = minimal_config();
  j["source"]["subscription_id"] = "not-a-guid";
  j["target"].erase("subscription_id");
  auto r = load(j);
  CHECK(has_error(r, "source.subscription_id", "is not a GUID"));
  CHECK(has_error(r, "target.subscription_id", "is required"));
}

TEST_CASE("source.subscription_id is optional with an inventory file") {
  TempDir dir;
  write_file(dir.file("inv.json"), R"({"resources":[]})", 0644);
  auto j = minimal_config();
  j["source"] = {{"inventory_file", "inv.json"}};
  auto r = load(j, dir.path());
  INFO(all_messages(r));
  REQUIRE(r.ok());
  CHECK(r.config->source.inventory_file == dir.file("inv.json"));
}

TEST_CASE("target fields are required and well-formed") {
  auto j = minimal_config();
  j["target"]["location"] = "East US";
  j["target"]["resource_group"] = "";
  j["target"]["workspace_dependencies"]["key_vault"] =
      "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-rg/providers/Microsoft.Storage/storageAccounts/x";
  j["target"]["workspace_dependencies"].erase("storage_account");
  j["target"]["workspace_dependencies"]["application_insights"] = "aml-ai";
  auto r = load(j);
  CHECK(has_error(r, "target.location", "is not a region name"));
  CHECK(has_error(r, "target.resource_group", "is required"));
  CHECK(has_error(r, "target.workspace_dependencies.key_vault", "Microsoft.KeyVault/vaults"));
  CHECK(has_error(r, "target.workspace_dependencies.storage_account", "is required"));
  CHECK(has_error(r, "target.workspace_dependencies.application_insights", "is not an ARM id"));
}

TEST_CASE("every error is reported at once") {
  auto j = minimal_config();
  j["interval_seconds"] = 0;
  j["azure"]["auth"]["method"] = "password";
  j["policy"] = {{"drift", "ignore"}, {"prune", "no"}};
  j["target"]["location"] = "";
  auto r = load(j);
  REQUIRE_FALSE(r.ok());
  CHECK(has_error(r, "interval_seconds", "out of range"));
  CHECK(has_error(r, "azure.auth.method", "is not one of"));
  CHECK(has_error(r, "policy.drift", "is not one of"));
  CHECK(has_error(r, "policy.prune", "true or false"));
  CHECK(has_error(r, "target.location", "is required"));
}

TEST_CASE("unknown keys are errors with a suggestion") {
  auto j = minimal_config();
  j["polcy"] = json::object();
  j["azure"]["max_paralel"] = 3;
  j["target"]["workspace_dependencies"]["keyvault"] = "x";
  auto r = load(j);
  REQUIRE_FALSE(r.ok());
  CHECK(has_error(r, "polcy", "did you mean \"policy\""));
  CHECK(has_error(r, "azure.max_paralel", "did you mean \"max_parallel\""));
  CHECK(has_error(r, "target.workspace_dependencies.keyvault", "did you mean \"key_vault\""));
  auto j2 = minimal_config();
  j2["zzzzzzzz"] = 1;
  auto r2 = load(j2);
  CHECK(has_error(r2, "zzzzzzzz", "unknown key; allowed here:"));
}

TEST_CASE("inline secrets are refused") {
  auto j = minimal_config();
  j["azure"]["auth"]["client_secret"] = "hunter2";
  j["mapping"]["storage_keys"] = {
      {"acct", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0==" }};
  auto r = load(j);
  REQUIRE_FALSE(r.ok());
  CHECK(has_error(r, "azure.auth.client_secret", "inline secrets are not accepted"));
  CHECK(has_error(r, "mapping.storage_keys.acct", "inline storage key"));
  // The secret itself is never echoed back.
  CHECK(all_messages(r).find("hunter2") == std::string::npos);
  CHECK(all_messages(r).find("c2VjcmV0") == std::string::npos);
}

TEST_CASE("URLs must be https, or http to loopback only when allowed") {
  auto j = minimal_config();
  j["azure"]["arm_endpoint"] = "http://management.azure.com";
  j["azure"]["authority"] = "http://127.0.0.1:8080";
  j["azure"]["auth"]["imds_endpoint"] = "ftp://x";
  auto r = load(j);
  CHECK(has_error(r, "azure.arm_endpoint", "https is required"));
  CHECK(has_error(r, "azure.authority", "set azure.allow_insecure_loopback"));
  CHECK(has_error(r, "azure.auth.imds_endpoint", "is not an http(s) URL"));

  j["azure"]["allow_insecure_loopback"] = true;
  j["azure"]["arm_endpoint"] = "http://[::1]:9000/";
  j["azure"]["auth"]["imds_endpoint"] = "http://127.0.0.1:9000";
  auto r2 = load(j);
  INFO(all_messages(r2));
  REQUIRE(r2.ok());
  CHECK(r2.config->azure.arm_endpoint == "http://[::1]:9000");

  j["azure"]["arm_endpoint"] = "http://10.0.0.1:9000";
  CHECK(has_error(load(j), "azure.arm_endpoint", "only to 127.0.0.0/8 or ::1"));
}

TEST_CASE("auth methods require their fields") {
  auto j = minimal_config();
  j["azure"]["auth"] = {{"method", "client_secret"}};
  auto r = load(j);
  CHECK(has_error(r, "azure.auth.tenant_id", "is required with method client_secret"));
  CHECK(has_error(r, "azure.auth.client_id", "is required with method client_secret"));
  CHECK(has_error(r, "azure.auth.client_secret_file", "is required"));

  j["azure"]["auth"] = {{"method", "workload_identity"}, {"tenant_id", "contoso.onmicrosoft.com"}, {"client_id", "nope"}};
  auto r2 = load(j);
  CHECK(has_error(r2, "azure.auth.federated_token_file", "is required"));
  CHECK(has_error(r2, "azure.auth.client_id", "is not a GUID"));
  CHECK_FALSE(has_error(r2, "azure.auth.tenant_id", ""));

  j["azure"]["auth"] = {{"method", "environment"}};
  CHECK(load(j).ok());
}

TEST_CASE("secret files must exist and be readable - loose permissions warn") {
  TempDir dir;
  auto j = minimal_config();
  j["azure"]["auth"] = {{"method", "client_secret"},
                        {"tenant_id", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
                        {"client_id", "9f5a4a0e-3c1b-4a83-9d3c-0e5c1a2b3c4d"},
                        {"client_secret_file", "missing"}};
  auto r = load(j, dir.path());
  CHECK(has_error(r, "azure.auth.client_secret_file", "does not exist"));

  write_file(dir.file("secret"), "x", 0644);
  j["azure"]["auth"]["client_secret_file"] = "secret";
  auto r2 = load(j, dir.path());
  INFO(all_messages(r2));
  REQUIRE(r2.ok());
  REQUIRE(r2.diagnostics.size() == 1);
  CHECK(r2.diagnostics[0].level == config::Diagnostic::Level::Warning);
  CHECK(r2.diagnostics[0].message.find("chmod 600") != std::string::npos);

  ::chmod(dir.file("secret").c_str(), 0600);
  CHECK(load(j, dir.path()).diagnostics.empty());

  j["azure"]["auth"]["client_secret_file"] = dir.path();  // a directory
  CHECK(has_error(load(j, dir.path()), "azure.auth.client_secret_file", "not a regular file"));

  if (::geteuid() != 0) {  // root reads anything
    ::chmod(dir.file("secret").c_str(), 0000);
    j["azure"]["auth"]["client_secret_file"] = "secret";
    CHECK(has_error(load(j, dir.path()), "azure.auth.client_secret_file", "not readable"));
  }
}

TEST_CASE("${CREDENTIALS_DIRECTORY} expands, and is an error when unset") {
  TempDir creds;
  write_file(creds.file("key"), "k");
  auto j = minimal_config();
  j["mapping"]["storage_keys"] = {{"acct1", "${CREDENTIALS_DIRECTORY}/key"}};
  auto r = load(j, "/", creds.path());
  INFO(all_messages(r));
  REQUIRE(r.ok());
  CHECK(r.config->mapping.storage_keys.at("acct1") == creds.file("key"));
  CHECK(has_error(load(j, "/", ""), "mapping.storage_keys.acct1", "CREDENTIALS_DIRECTORY is not set"));
}

TEST_CASE("mapping entries are validated") {
  TempDir dir;
  write_file(dir.file("pub"), "ssh-rsa AAAA");
  auto j = minimal_config();
  j["mapping"] = json::parse(R"({
    "workspace_names": {"ws": "bad name!"},
    "names": {"c1": ""},
    "storage_keys": {"Bad_Account": "pub"},
    "file_servers": {"fs1": {"kind": "NFS", "account_name": "acct"}, "fs2": "x"},
    "ssh": {"*": {"public_key_file": "pub"}, "c2": {"admin_user_name": "u"}}
  })");
  auto r = load(j, dir.path());
  INFO(all_messages(r));
  CHECK(has_error(r, "mapping.workspace_names.ws", "not a valid AML workspace name"));
  CHECK(has_error(r, "mapping.names.c1", "must be a non-empty string"));
  CHECK(has_error(r, "mapping.storage_keys.Bad_Account", "not a storage account name"));
  CHECK(has_error(r, "mapping.file_servers.fs1.kind", "\"NFS\" is not one of AzureFile, AzureBlob"));
  CHECK(has_error(r, "mapping.file_servers.fs1.name", "is required"));
  CHECK(has_error(r, "mapping.file_servers.fs2", "must be an object"));
  CHECK(has_error(r, "mapping.ssh[\"*\"].admin_user_name", "is required"));
  CHECK(has_error(r, "mapping.ssh.c2", "needs public_key_file or password_file"));
}

// issue 14: every parse of JSON bai2aml did not write bounds its nesting.
TEST_CASE("a config nested deeper than 64 levels is refused with a clear error", "[bounds]") {
  std::string text = minimal_config().dump(2);
  text.insert(text.rfind('}'), ", \"x\": " + std::string(100000, '[') + std::string(100000, ']'));
  auto r = config::load_config_text(text, {});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].message == "not valid JSON: objects and arrays nested deeper than 64 levels");
}

// Found by emulator_request_fuzzer in the shared parser: out_of_range.406 escaped the loader.
TEST_CASE("a number beyond double in the config is an error, not std::terminate", "[bounds]") {
  auto cfg = minimal_config().dump();
  cfg.insert(cfg.rfind('}'), ", \"interval_seconds\": 1e400");
  auto r = config::load_config_text(cfg, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("number overflow") != std::string::npos);
}
