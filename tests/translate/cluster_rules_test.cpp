// Workspaces and clusters -> AML workspaces and AmlComputes (DESIGN §3).
#include <catch2/catch.hpp>

#include "tests/translate/fixtures.hpp"
#include "translate/secret_ref.hpp"
#include "translate/translate.hpp"

namespace config = bai2aml::config;
using namespace bai2aml::translate;
using namespace bai2aml::translate::test;

namespace {

json compute_props(const Translation& t, const std::string& name) {
  const DesiredResource* r = find_resource(t, Kind::Compute, "/computes/" + name);
  REQUIRE(r);
  return r->body.at("properties").at("properties");
}

}  // namespace

TEST_CASE("workspace body: location, system identity, dependencies from config, ownership tags", "[rules][workspace]") {
  config::Config cfg = test_config();
  cfg.target.location = "westeurope";
  cfg.target.workspace_dependencies.container_registry = "/subscriptions/x/resourceGroups/y/providers/Microsoft.ContainerRegistry/registries/acr";
  const Translation t = translate({workspace("ws1")}, cfg);
  const DesiredResource* ws = find_resource(t, Kind::Workspace, "/workspaces/ws1");
  REQUIRE(ws);
  CHECK(ws->id == aml_ws("ws1"));
  CHECK(ws->body["location"] == "westeurope");
  CHECK(ws->body["identity"]["type"] == "SystemAssigned");
  CHECK(ws->body["properties"]["storageAccount"] == cfg.target.workspace_dependencies.storage_account);
  CHECK(ws->body["properties"]["keyVault"] == cfg.target.workspace_dependencies.key_vault);
  CHECK(ws->body["properties"]["applicationInsights"] == cfg.target.workspace_dependencies.application_insights);
  CHECK(ws->body["properties"]["containerRegistry"] == cfg.target.workspace_dependencies.container_registry);
  CHECK(ws->body["tags"] == json{{"managed-by", "bai2aml"}, {"bai2aml-source", ws_id("ws1")}});
  CHECK(ws->depends_on.empty());
  CHECK(findings(t, "workspace-location-changed", ws_id("ws1")).size() == 1);
}

TEST_CASE("workspace without a container registry in config has none in its body", "[rules][workspace]") {
  const Translation t = translate({workspace("ws1")}, test_config());
  const DesiredResource* ws = find_resource(t, Kind::Workspace, "/workspaces/ws1");
  REQUIRE(ws);
  CHECK_FALSE(ws->body["properties"].contains("containerRegistry"));
  CHECK(findings(t, "workspace-location-changed").empty());
}

TEST_CASE("cluster scale settings map per mapping.manual_scale", "[rules][compute]") {
  struct Row {
    json scale;
    config::ManualScale mode;
    int min, max;
  };
  const Row rows[] = {
      {{{"manual", {{"targetNodeCount", 4}}}}, config::ManualScale::Elastic, 0, 4},
      {{{"manual", {{"targetNodeCount", 4}}}}, config::ManualScale::Fixed, 4, 4},
      {{{"manual", {{"targetNodeCount", 0}}}}, config::ManualScale::Fixed, 0, 0},
      {{{"autoScale", {{"minimumNodeCount", 1}, {"maximumNodeCount", 9}}}}, config::ManualScale::Elastic, 1, 9},
      {{{"autoScale", {{"minimumNodeCount", 2}, {"maximumNodeCount", 3}, {"initialNodeCount", 2}}}}, config::ManualScale::Fixed, 2, 3},
  };
  for (const auto& r : rows) {
    INFO(r.scale.dump() << " " << config::to_string(r.mode));
    config::Config cfg = test_config();
    cfg.mapping.manual_scale = r.mode;
    cfg.mapping.idle_seconds_before_scale_down = 300;
    json c = cluster("ws1", "cl1");
    c["properties"]["scaleSettings"] = r.scale;
    const json p = compute_props(translate({workspace("ws1"), c}, cfg), "cl1");
    CHECK(p["scaleSettings"]["minNodeCount"] == r.min);
    CHECK(p["scaleSettings"]["maxNodeCount"] == r.max);
    CHECK(p["scaleSettings"]["nodeIdleTimeBeforeScaleDown"] == "PT5M");
  }
}

TEST_CASE("cluster VM size, priority and subnet carry over", "[rules][compute]") {
  struct Row {
    json props;
    std::string priority;
  };
  const Row rows[] = {
      {{{"vmPriority", "dedicated"}}, "Dedicated"},
      {{{"vmPriority", "lowpriority"}}, "LowPriority"},
      {{{"vmPriority", nullptr}}, "Dedicated"},  // the spec's default
  };
  for (const auto& r : rows) {
    const Translation t = translate({workspace("ws1"), cluster("ws1", "cl1", r.props)}, test_config());
    const json p = compute_props(t, "cl1");
    CHECK(p["vmPriority"] == r.priority);
    CHECK(p["vmSize"] == "STANDARD_NC6");
    CHECK_FALSE(p.contains("subnet"));
    const DesiredResource* c = find_resource(t, Kind::Compute, "/computes/cl1");
    CHECK(c->body["properties"]["computeType"] == "AmlCompute");
    CHECK(c->body["location"] == "eastus");
    CHECK(c->body["tags"]["bai2aml-source"] == ws_id("ws1") + "/clusters/cl1");
    CHECK(c->depends_on == std::vector<std::string>{aml_ws("ws1")});
  }
  const std::string subnet = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/s1";
  const json p = compute_props(translate({workspace("ws1"), cluster("ws1", "cl1", {{"subnet", {{"id", subnet}}}})}, test_config()), "cl1");
  CHECK(p["subnet"]["id"] == subnet);
}

TEST_CASE("SSH: credentials from mapping.ssh files enable the port - none disable it with a finding", "[rules][compute][ssh]") {
  config::SshCredentials key_only{"amladmin", "/creds/id.pub", ""};
  config::SshCredentials both{"", "/creds/id.pub", "/creds/pw"};
  config::SshCredentials name_only{"amladmin", "", ""};
  struct Row {
    std::string key;  // "" = no mapping.ssh entry
    config::SshCredentials creds;
    bool enabled;
    json expected;
  };
  const Row rows[] = {
      {"", {}, false, nullptr},
      {"*", key_only, true, {{"adminUserName", "amladmin"}, {"adminUserSshPublicKey", secret_file_ref("/creds/id.pub")}}},
      {"cl1", both, true,
       {{"adminUserName", "admin"}, {"adminUserSshPublicKey", secret_file_ref("/creds/id.pub")},
        {"adminUserPassword", secret_file_ref("/creds/pw")}}},
      {ws_id("ws1") + "/clusters/CL1", key_only, true,
       {{"adminUserName", "amladmin"}, {"adminUserSshPublicKey", secret_file_ref("/creds/id.pub")}}},
      {"other-cluster", key_only, false, nullptr},
      {"*", name_only, false, nullptr},
  };
  for (const auto& r : rows) {
    INFO("mapping.ssh key \"" << r.key << "\"");
    config::Config cfg = test_config();
    if (!r.key.empty()) cfg.mapping.ssh[r.key] = r.creds;
    const Translation t = translate({workspace("ws1"), cluster("ws1", "cl1")}, cfg);
    const json p = compute_props(t, "cl1");
    CHECK(p["remoteLoginPortPublicAccess"] == (r.enabled ? "Enabled" : "Disabled"));
    if (r.enabled) {
      CHECK(p["userAccountCredentials"] == r.expected);
      CHECK(findings(t, "ssh-credentials-missing").empty());
    } else {
      CHECK_FALSE(p.contains("userAccountCredentials"));
      CHECK(findings(t, "ssh-credentials-missing", ws_id("ws1") + "/clusters/cl1").size() == 1);
    }
  }
}

TEST_CASE("setup task, custom OS image and performance counters become findings", "[rules][compute]") {
  const json setup = {{"nodeSetup",
                       {{"setupTask",
                         {{"commandLine", "apt-get install -y foo"},
                          {"stdOutErrPathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/data"},
                          {"secrets", json::array({{{"name", "TOKEN"}, {"value", "hunter2-value"}}})}}},
                        {"performanceCountersSettings",
                         {{"appInsightsReference", {{"component", {{"id", "/x"}}}, {"instrumentationKey", "ikey-value"}}}}}}}};
  const json custom = {{"virtualMachineConfiguration",
                        {{"imageReference", {{"publisher", "microsoft-ads"}, {"offer", "linux-data-science-vm-ubuntu"},
                                             {"sku", "linuxdsvmubuntu"}, {"version", "latest"}}}}}};
  const json ubuntu = {{"virtualMachineConfiguration",
                        {{"imageReference", {{"publisher", "Canonical"}, {"offer", "UbuntuServer"}, {"sku", "16.04-LTS"}}}}}};
  const Translation t = translate({workspace("ws1"), cluster("ws1", "setup", setup), cluster("ws1", "custom", custom),
                                   cluster("ws1", "ubuntu", ubuntu)},
                                  test_config());
  const auto s = findings(t, "node-setup-unsupported", ws_id("ws1") + "/clusters/setup");
  REQUIRE(s.size() == 1);
  CHECK(s[0].severity == Severity::Warning);
  CHECK(s[0].message.find("apt-get install -y foo") != std::string::npos);
  CHECK(s[0].message.find("TOKEN") != std::string::npos);
  CHECK(findings(t, "performance-counters-unsupported", ws_id("ws1") + "/clusters/setup").size() == 1);
  CHECK(findings(t, "os-image-unsupported", ws_id("ws1") + "/clusters/custom").size() == 1);
  CHECK(findings(t, "os-image-unsupported", ws_id("ws1") + "/clusters/ubuntu").empty());
  // All three still become computes: the findings say what was lost.
  CHECK(of_kind(t, Kind::Compute).size() == 3);
  const std::string all = translation_dump(t);
  CHECK(all.find("hunter2-value") == std::string::npos);
  CHECK(all.find("ikey-value") == std::string::npos);
}
