// The specs' own example payloads: Batch AI GET/LIST bodies load as seeds and come back as they went in;
// AML createOrUpdate examples are accepted; broken variants are rejected with the right status and code.
#include <catch2/catch.hpp>

#include "tests/emulator/emulator_test_helpers.hpp"
#include "tests/support/emulator_process.hpp"

using namespace bai2aml::testing;
using namespace bai2aml::testing::emu;
using nlohmann::json;

namespace {
const std::string kBatchAIExamples = "batchai/resource-manager/Microsoft.BatchAI/stable/2018-05-01/examples/";
const std::string kAmlExamples =
    "machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2024-04-01/examples/";

json example(const std::string& path) { return json::parse(spec_example(path)); }

std::string seed_of(const std::vector<json>& resources) { return json{{"resources", resources}}.dump(); }

// The request path of an example: the x-ms-examples parameters substituted into the swagger path.
std::string bai_path(const json& params, const std::string& tail) {
  std::string p = "/subscriptions/" + params["subscriptionId"].get<std::string>();
  if (params.contains("resourceGroupName")) p += "/resourceGroups/" + params["resourceGroupName"].get<std::string>();
  p += "/providers/Microsoft.BatchAI/workspaces";
  if (params.contains("workspaceName")) p += "/" + params["workspaceName"].get<std::string>();
  return p + tail;
}
}  // namespace

TEST_CASE("Batch AI GET examples load as seeds and GET returns them exactly") {
  struct Case {
    const char* file;
    const char* tail;
  } cases[] = {
      {"GetWorkspace.json", ""},
      {"GetCluster.json", "/clusters/demo_cluster"},
      {"GetExperiment.json", "/experiments/demo_experiment"},
      {"GetJob.json", "/experiments/demo_experiment/jobs/demo_job"},
  };
  std::vector<json> seed;
  for (const auto& c : cases) seed.push_back(example(kBatchAIExamples + c.file)["responses"]["200"]["body"]);
  json fs = example(kBatchAIExamples + "GetFileServer.json")["responses"]["200"]["body"];
  seed.push_back(fs);
  EmulatorProcess emu(seed_of(seed));
  for (const auto& c : cases) {
    INFO(c.file);
    json ex = example(kBatchAIExamples + c.file);
    HttpResult r = emu.arm("GET", q(bai_path(ex["parameters"], c.tail), kBai));
    REQUIRE(r.status == 200);
    CHECK(r.json() == ex["responses"]["200"]["body"]);
  }
  // GetFileServer's body names the server "fileservercedd134b" (the request said demo_nfs): its id wins.
  HttpResult r = emu.arm("GET", q(fs["id"].get<std::string>(), kBai));
  REQUIRE(r.status == 200);
  CHECK(r.json() == fs);
}

TEST_CASE("Batch AI LIST examples load as seeds and LIST returns the same items") {
  struct Case {
    const char* file;
    std::string path;
  } cases[] = {
      {"ListWorkspace.json", "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.BatchAI/workspaces"},
      {"ListWorkspaceByResourceGroup.json", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
                                            "demo_resource_group/providers/Microsoft.BatchAI/workspaces"},
      {"ListClusterByWorkspace.json", ""},
      {"ListExperimentByWorkspace.json", ""},
      {"ListFileServerByWorkspace.json", ""},
  };
  for (auto& c : cases) {
    INFO(c.file);
    json ex = example(kBatchAIExamples + c.file);
    const json items = ex["responses"]["200"]["body"]["value"];
    std::vector<json> seed = items.get<std::vector<json>>();
    // Child collections need their parent: a real inventory has the workspace too.
    if (c.path.empty()) seed.push_back(example(kBatchAIExamples + "GetWorkspace.json")["responses"]["200"]["body"]);
    EmulatorProcess emu(seed_of(seed));
    std::string path = c.path;
    if (path.empty()) {
      const std::string f = c.file;
      path = bai_path(ex["parameters"], f.find("Cluster") != std::string::npos      ? "/clusters"
                                        : f.find("Experiment") != std::string::npos ? "/experiments"
                                                                                    : "/fileServers");
    }
    HttpResult r = emu.arm("GET", q(path, kBai));
    REQUIRE(r.status == 200);
    CHECK(r.json()["value"] == items);
  }
}

TEST_CASE("a seed resource with an unservable id (a job without its experiment) is kept, not served") {
  json ex = example(kBatchAIExamples + "ListJobByExperiment.json");
  const json items = ex["responses"]["200"]["body"]["value"];
  EmulatorProcess emu(seed_of(items.get<std::vector<json>>()));
  CHECK(emu.resources().size() == items.size());
  CHECK(emu.stderr_text().find("no served type") != std::string::npos);
}

TEST_CASE("a malformed seed is refused with exit code 2 and a message naming the entry") {
  TempDir dir;
  write_file(dir.file("seed.json"), R"({"resources":[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.BatchAI/workspaces/w"},{"name":"no id"}]})");
  const int code = run_command({binary_dir() + "/emulator/bai2aml-emulator", "--listen", "127.0.0.1:1", "--seed",
                                dir.file("seed.json")},
                               dir.file("out"), dir.file("err"));
  CHECK(code == 2);
  CHECK(read_file(dir.file("err")).find("resources[1]") != std::string::npos);
  CHECK(run_command({binary_dir() + "/emulator/bai2aml-emulator", "--listen", "nonsense", "--seed", dir.file("seed.json")},
                    dir.file("out"), dir.file("err")) == 2);
  CHECK(read_file(dir.file("err")).find("--listen") != std::string::npos);
}

TEST_CASE("the AML createOrUpdate examples are accepted") {
  EmulatorProcess emu("{\"resources\":[]}", {"--lro-ms", "0"});
  json ws = example(kAmlExamples + "Workspace/create.json")["parameters"];
  const std::string ws_path = "/subscriptions/" + ws["subscriptionId"].get<std::string>() + "/resourceGroups/" +
                              ws["resourceGroupName"].get<std::string>() +
                              "/providers/Microsoft.MachineLearningServices/workspaces/" +
                              ws["workspaceName"].get<std::string>();
  HttpResult w = emu.arm("PUT", q(ws_path, kAml), ws["parameters"].dump());
  INFO(w.body);
  REQUIRE(w.status == 202);

  json compute = example(kAmlExamples + "Compute/createOrUpdate/AmlCompute.json")["parameters"];
  HttpResult c = emu.arm("PUT", q(ws_path + "/computes/" + compute["computeName"].get<std::string>(), kAml),
                         compute["parameters"].dump());
  INFO(c.body);
  CHECK(c.status == 201);
  json patch = example(kAmlExamples + "Compute/patch.json")["parameters"];
  HttpResult pc = emu.arm("PATCH", q(ws_path + "/computes/" + compute["computeName"].get<std::string>(), kAml),
                          patch["parameters"].dump());
  INFO(pc.body);
  CHECK(pc.status == 200);

  int n = 0;
  for (const char* file : {"Datastore/AzureFileWAccountKey/createOrUpdate.json",
                           "Datastore/AzureBlobWAccountKey/createOrUpdate.json",
                           "Datastore/AzureDataLakeGen1WServicePrincipal/createOrUpdate.json",
                           "Datastore/AzureDataLakeGen2WServicePrincipal/createOrUpdate.json"}) {
    json d = example(kAmlExamples + file)["parameters"];
    // Every example names its datastore "string": number them to create four.
    HttpResult r = emu.arm("PUT", q(ws_path + "/datastores/" + d["name"].get<std::string>() + std::to_string(++n), kAml),
                           d["body"].dump());
    INFO(file << ": " << r.body);
    CHECK(r.status == 201);
  }
  json env = example(kAmlExamples + "Workspace/EnvironmentContainer/createOrUpdate.json")["parameters"];
  HttpResult e = emu.arm("PUT", q(ws_path + "/environments/" + env["name"].get<std::string>(), kAml), env["body"].dump());
  INFO(e.body);
  CHECK(e.status == 201);
  // EnvironmentVersion/createOrUpdate.json is missing from the specs copy; the GET example's body is a
  // valid PUT body once its read-only parts are dropped.
  json ver = example(kAmlExamples + "Workspace/EnvironmentVersion/get.json")["responses"]["200"]["body"];
  json ver_body = {{"properties", ver["properties"]}};
  ver_body["properties"].erase("environmentType");
  HttpResult v = emu.arm("PUT", q(ws_path + "/environments/" + env["name"].get<std::string>() + "/versions/1", kAml),
                         ver_body.dump());
  INFO(v.body);
  CHECK(v.status == 201);
  json job = example(kAmlExamples + "Job/CommandJob/createOrUpdate.json")["parameters"];
  HttpResult j = emu.arm("PUT", q(ws_path + "/jobs/" + job["id"].get<std::string>(), kAml), job["body"].dump());
  INFO(j.body);
  CHECK(j.status == 201);
}
