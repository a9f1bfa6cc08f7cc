// Parsing Batch AI ARM JSON: the spec's own examples, unknown fields, malformed resources.
#include <catch2/catch.hpp>

#include "tests/support/support.hpp"
#include "tests/translate/fixtures.hpp"
#include "translate/inventory.hpp"
#include "translate/translate.hpp"

namespace config = bai2aml::config;
using namespace bai2aml::translate;
using namespace bai2aml::translate::test;

namespace {

json example_body(const std::string& file) {
  const std::string path = bai2aml::testing::specs_dir() +
                           "/batchai/resource-manager/Microsoft.BatchAI/stable/2018-05-01/examples/" + file;
  return json::parse(bai2aml::testing::read_file(path)).at("responses").at("200").at("body");
}

}  // namespace

TEST_CASE("the spec's example GET payloads parse and translate", "[inventory][spec]") {
  std::vector<json> res = {example_body("GetWorkspace.json"), example_body("GetCluster.json"), example_body("GetJob.json"),
                           example_body("GetFileServer.json"), example_body("GetExperiment.json")};
  const json listed = example_body("ListJobByExperiment.json");  // named: a range-for over a temporary's member dangles
  for (const auto& j : listed.at("value")) res.push_back(j);
  const Inventory inv = parse_inventory(res);
  REQUIRE(inv.workspaces.size() == 1);
  REQUIRE(inv.clusters.size() == 1);
  REQUIRE(inv.jobs.size() == 1);
  REQUIRE(inv.file_servers.size() == 1);
  REQUIRE(inv.experiments.size() == 1);  // GetExperiment's id says "workspace", singular: tolerated
  const BaiCluster& c = inv.clusters[0];
  CHECK(c.vm_size == "STANDARD_NC6");
  CHECK(c.target_nodes == 1);
  CHECK(c.mounts.storage.size() == 1);
  CHECK(c.mounts.storage[0].container == "azure_file_share_name");
  CHECK(c.mounts.file_servers.size() == 1);
  CHECK(c.subnet_id.find("Subnet-1") != std::string::npos);
  const BaiJob& j = inv.jobs[0];
  CHECK(j.tool_type == "custom");
  CHECK(j.execution_state == "running");
  CHECK(j.max_wall_clock_time == "P7D");
  // ListJobByExperiment's job id has no experiment segment: reported, not guessed.
  CHECK(findings(Translation{{}, inv.findings, {}}, "unknown-resource").size() == 1);

  config::Config cfg = test_config();
  cfg.mapping.jobs = config::JobsMode::Active;
  const Translation t = translate(res, cfg);
  // demo_cluster breaks the compute rule and is renamed; the job runs on that compute although
  // its cluster id lacks the workspace segment.
  const auto jobs = of_kind(t, Kind::Job);
  REQUIRE(jobs.size() == 1);
  const json& p = jobs[0]->body["properties"];
  CHECK(p["computeId"] == of_kind(t, Kind::Compute).at(0)->id);
  CHECK(toolkit_part(p) == "echo hi | tee $AZ_BATCHAI_OUTPUT_OUTPUTS/hi.txt");
  CHECK(p["command"].get<std::string>().find("export AZ_BATCHAI_OUTPUT_OUTPUTS=\"${{outputs.OUTPUTS}}\"\n") != std::string::npos);
  CHECK(p["inputs"]["INPUT"]["uri"] == "azureml://datastores/storage_account_name_azure_file_share_name/paths/input");
  CHECK(p["limits"]["timeout"] == "P7D");
  CHECK(findings(t, "nfs-file-server").size() >= 2);  // the file server, and the cluster that mounts it
}

TEST_CASE("the spec's PutCluster and PutJob request bodies translate as well", "[inventory][spec]") {
  const std::string dir = bai2aml::testing::specs_dir() + "/batchai/resource-manager/Microsoft.BatchAI/stable/2018-05-01/examples/";
  json cl = json::parse(bai2aml::testing::read_file(dir + "PutCluster.json"))["parameters"]["parameters"];
  cl["id"] = ws_id("demo_ws") + "/clusters/demo_cluster";
  json jb = json::parse(bai2aml::testing::read_file(dir + "PutJob.json"))["parameters"]["parameters"];
  jb["id"] = ws_id("demo_ws") + "/experiments/e/jobs/demo_job";
  jb["properties"]["cluster"]["id"] = cl["id"];
  const Translation t = translate({workspace("demo_ws"), cl, jb}, test_config());
  CHECK(of_kind(t, Kind::Compute).size() == 1);
  CHECK(of_kind(t, Kind::Job).empty());  // a PUT body has no executionState: not migrated, and said so
  CHECK(findings(t, "job-not-migrated").size() == 1);
  const std::string all = translation_dump(t);
  CHECK(all.find("admin_user_password") == std::string::npos);
  CHECK(all.find("ssh-rsa AAAAB3NzaC1yc") == std::string::npos);
  CHECK(all.find("00000000000000000000000000000000000000000000000000000000000000000000000000000000000000==") == std::string::npos);
}

TEST_CASE("malformed resources become findings naming the resource id and field", "[inventory]") {
  struct Row {
    std::string kind;        // "clusters/bad" or "experiments/e/jobs/j"
    std::string properties;  // JSON text
    std::string field;       // expected in the message
  };
  const std::string cl = ws_id("ws1") + "/clusters/bad";
  const std::vector<Row> rows = {
      {"clusters/bad", R"({"scaleSettings": {"manual": {"targetNodeCount": 1}}})", "properties.vmSize"},
      {"clusters/bad", R"({"vmSize": 6, "scaleSettings": {"manual": {}}})", "properties.vmSize"},
      {"clusters/bad", R"({"vmSize": "X", "vmPriority": "urgent", "scaleSettings": {"manual": {}}})", "properties.vmPriority"},
      {"clusters/bad", R"({"vmSize": "X"})", "properties.scaleSettings"},
      {"clusters/bad", R"({"vmSize": "X", "scaleSettings": {"autoScale": {"minimumNodeCount": 3, "maximumNodeCount": 1}}})",
       "maximumNodeCount"},
      {"clusters/bad", R"({"vmSize": "X", "scaleSettings": {"manual": {"targetNodeCount": -1}}})", "targetNodeCount"},
      {"clusters/bad",
       R"({"vmSize": "X", "scaleSettings": {"manual": {}}, "nodeSetup": {"mountVolumes": {"azureFileShares":
           [{"accountName": "a", "azureFileUrl": "nope", "relativeMountPath": "m"}]}}})",
       "properties.nodeSetup.mountVolumes.azureFileShares[0].azureFileUrl"},
      {"clusters/bad", R"("oops")", "properties"},
      {"experiments/e/jobs/j", R"({"nodeCount": 1})", "properties.cluster"},
      {"experiments/e/jobs/j", R"({"cluster": {"id": "/c"}, "nodeCount": "2"})", "properties.nodeCount"},
      {"experiments/e/jobs/j", R"({"cluster": {"id": "/c"}, "nodeCount": 1, "inputDirectories": {}})",
       "properties.inputDirectories"},
  };
  for (const auto& r : rows) {
    const std::string id = ws_id("ws1") + "/" + r.kind;
    const json resource = {{"id", id}, {"properties", json::parse(r.properties)}};
    INFO(resource.dump());
    const Translation t = translate({workspace("ws1"), resource}, test_config());
    const auto f = findings(t, "malformed-resource");
    REQUIRE(f.size() == 1);
    CHECK(f[0].source_id == id);
    CHECK(f[0].severity == Severity::Error);
    CHECK(f[0].message.find(r.field) != std::string::npos);
    CHECK(of_kind(t, Kind::Compute).empty());
    CHECK(of_kind(t, Kind::Job).empty());
  }
}

TEST_CASE("non-objects, id-less, unknown and duplicate resources are findings - unknown fields are ignored", "[inventory]") {
  json extra = cluster("ws1", "cl1");
  extra["properties"]["someFutureField"] = {{"x", 1}};
  extra["etag"] = "W/\"1\"";
  const std::vector<json> res = {workspace("ws1"), extra, extra, 42, json::object(), {{"id", 7}},
                                 {{"id", "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/disks/d"}}};
  const Translation t = translate(res, test_config());
  CHECK(of_kind(t, Kind::Compute).size() == 1);
  CHECK(findings(t, "duplicate-resource").size() == 1);
  CHECK(findings(t, "malformed-resource").size() == 3);
  CHECK(findings(t, "unknown-resource").size() == 1);
}

TEST_CASE("resources whose workspace is not in the inventory are orphans", "[inventory]") {
  const Translation t = translate({cluster("ws1", "cl1"), job("ws1", "e", "j", "cl1")}, test_config());
  CHECK(t.resources.empty());
  CHECK(findings(t, "orphan-resource").size() == 2);
}
