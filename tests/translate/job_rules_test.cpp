// Experiments and jobs -> AML command jobs and environments (DESIGN §3).
#include <catch2/catch.hpp>

#include "tests/translate/fixtures.hpp"
#include "translate/translate.hpp"

namespace config = bai2aml::config;
using namespace bai2aml::translate;
using namespace bai2aml::translate::test;

namespace {

std::vector<json> base() { return {workspace("ws1"), cluster("ws1", "cl1"), experiment("ws1", "e")}; }

Translation with_job(const json& j, config::Config cfg = test_config()) {
  auto res = base();
  res.push_back(j);
  return translate(res, cfg);
}

json job_props(const Translation& t, const std::string& name) {
  const DesiredResource* r = find_resource(t, Kind::Job, "/jobs/" + name);
  REQUIRE(r);
  return r->body.at("properties");
}

}  // namespace

TEST_CASE("which jobs migrate depends on their state and mapping.jobs", "[rules][jobs]") {
  struct Row {
    std::string state;
    config::JobsMode mode;
    bool migrated;
    std::string finding;
  };
  const Row rows[] = {
      {"queued", config::JobsMode::Queued, true, ""},
      {"running", config::JobsMode::Queued, false, "job-not-migrated"},
      {"running", config::JobsMode::Active, true, ""},
      {"queued", config::JobsMode::Active, true, ""},
      {"queued", config::JobsMode::None, false, "job-not-migrated"},
      {"terminating", config::JobsMode::Active, false, "job-not-migrated"},
      {"succeeded", config::JobsMode::Active, false, "job-finished"},
      {"failed", config::JobsMode::Queued, false, "job-finished"},
  };
  for (const auto& r : rows) {
    INFO(r.state << " with mapping.jobs " << config::to_string(r.mode));
    config::Config cfg = test_config();
    cfg.mapping.jobs = r.mode;
    const Translation t = with_job(job("ws1", "e", "j1", "cl1", {{"executionState", r.state}}), cfg);
    CHECK((find_resource(t, Kind::Job, "/jobs/j1") != nullptr) == r.migrated);
    if (!r.finding.empty()) CHECK(findings(t, r.finding, ws_id("ws1") + "/experiments/e/jobs/j1").size() == 1);
  }
}

TEST_CASE("a job's body: command, compute, instances, environment, variables, limits, tags", "[rules][jobs]") {
  const json j = job("ws1", "e", "j1", "cl1",
                     {{"nodeCount", 3},
                      {"toolType", "horovod"},
                      {"customToolkitSettings", nullptr},
                      {"horovodSettings", {{"pythonScriptFilePath", "train.py"}, {"processCount", 6}}},
                      {"environmentVariables", json::array({{{"name", "A"}, {"value", "1"}}, {{"name", "B"}, {"value", "x y"}}})},
                      {"constraints", {{"maxWallClockTime", "1.12:00:00"}}}});
  const Translation t = with_job(j);
  const json p = job_props(t, "j1");
  CHECK(p["jobType"] == "Command");
  CHECK(p["experimentName"] == "e");
  CHECK(p["displayName"] == "j1");
  CHECK(toolkit_part(p) == "python train.py");
  CHECK(p["computeId"] == aml_ws("ws1") + "/computes/cl1");
  CHECK(p["resources"]["instanceCount"] == 3);
  CHECK(p["distribution"] == json{{"distributionType", "Mpi"}, {"processCountPerInstance", 2}});
  CHECK(p["environmentVariables"] == json{{"A", "1"}, {"B", "x y"}});
  CHECK(p["limits"] == json{{"jobLimitsType", "Command"}, {"timeout", "P1DT12H"}});
  CHECK(p["tags"]["bai2aml-source"] == ws_id("ws1") + "/experiments/e/jobs/j1");
  CHECK(p["environmentId"] == aml_ws("ws1") + "/environments/ubuntu/versions/1");
  const DesiredResource* env = find_resource(t, Kind::EnvironmentVersion, "/environments/ubuntu/versions/1");
  REQUIRE(env);
  CHECK(env->body["properties"]["image"] == "ubuntu");
  CHECK(env->body["properties"]["tags"]["managed-by"] == "bai2aml");
  CHECK(find_resource(t, Kind::EnvironmentContainer, "/environments/ubuntu"));
  const DesiredResource* jr = find_resource(t, Kind::Job, "/jobs/j1");
  // The cluster's mount is bound too (every mount is), so the job depends on its datastore.
  CHECK(jr->depends_on == std::vector<std::string>{aml_ws("ws1"), aml_ws("ws1") + "/computes/cl1",
                                                   aml_ws("ws1") + "/datastores/acct_share",
                                                   aml_ws("ws1") + "/environments/ubuntu/versions/1"});
}

TEST_CASE("maxWallClockTime: default one week, converted, or a finding", "[rules][jobs]") {
  struct Row {
    json wall;
    std::string timeout;  // "" = no limits, with job-timeout-invalid
  };
  const Row rows[] = {{nullptr, "P7D"}, {"PT6H", "PT6H"}, {"7.00:00:00", "P7D"}, {"00:10:00", "PT10M"}, {"soon", ""}};
  for (const auto& r : rows) {
    INFO(r.wall.dump());
    const Translation t = with_job(job("ws1", "e", "j1", "cl1", {{"constraints", {{"maxWallClockTime", r.wall}}}}));
    const json p = job_props(t, "j1");
    if (r.timeout.empty()) {
      CHECK_FALSE(p.contains("limits"));
      CHECK(findings(t, "job-timeout-invalid").size() == 1);
    } else {
      CHECK(p["limits"]["timeout"] == r.timeout);
    }
  }
}

TEST_CASE("input and output directories resolve against cluster and job mounts", "[rules][jobs][paths]") {
  const json j = job("ws1", "e", "j1", "cl1",
                     {{"mountVolumes", {{"azureBlobFileSystems", json::array({blob("acct", "jobdata", "jd")})}}},
                      {"customToolkitSettings",
                       {{"commandLine", "python $AZ_BATCHAI_MOUNT_ROOT/data/run.py --in $AZ_BATCHAI_INPUT_IN --in2 ${AZ_BATCHAI_INPUT_IN2} "
                                        "--out $AZ_BATCHAI_OUTPUT_OUT --j $AZ_BATCHAI_JOB_MOUNT_ROOT/jd/x --keep $AZ_BATCHAI_INPUT_INX"}}},
                      {"inputDirectories", json::array({{{"id", "IN"}, {"path", "$AZ_BATCHAI_MOUNT_ROOT/data/input/"}},
                                                        {{"id", "IN2"}, {"path", "${AZ_BATCHAI_JOB_MOUNT_ROOT}/jd"}},
                                                        {{"id", "LOST"}, {"path", "/mnt/local/data"}}})},
                      {"outputDirectories", json::array({{{"id", "OUT"}, {"pathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/data/"}, {"pathSuffix", "models"}}})}});
  const Translation t = with_job(j);
  const json p = job_props(t, "j1");
  CHECK(p["inputs"]["IN"] == json{{"jobInputType", "uri_folder"}, {"mode", "ReadOnlyMount"}, {"uri", "azureml://datastores/acct_share/paths/input"}});
  CHECK(p["inputs"]["IN2"]["uri"] == "azureml://datastores/acct_jobdata/paths/");
  CHECK_FALSE(p["inputs"].contains("LOST"));
  CHECK(p["outputs"]["OUT"] == json{{"jobOutputType", "uri_folder"}, {"mode", "ReadWriteMount"}, {"uri", "azureml://datastores/acct_share/paths/j1/models"}});
  CHECK(p["inputs"]["mount_data"]["uri"] == "azureml://datastores/acct_share/paths/");
  CHECK(p["inputs"]["mount_data"]["mode"] == "ReadWriteMount");
  CHECK(p["inputs"]["jobmount_jd"]["uri"] == "azureml://datastores/acct_jobdata/paths/");
  // The command runs as written; the prologue defines the variables it uses.
  const std::string cmd = p["command"];
  CHECK(toolkit_part(p) ==
        "python $AZ_BATCHAI_MOUNT_ROOT/data/run.py --in $AZ_BATCHAI_INPUT_IN --in2 ${AZ_BATCHAI_INPUT_IN2} "
        "--out $AZ_BATCHAI_OUTPUT_OUT --j $AZ_BATCHAI_JOB_MOUNT_ROOT/jd/x --keep $AZ_BATCHAI_INPUT_INX");
  CHECK(cmd.find("export AZ_BATCHAI_INPUT_IN=\"${{inputs.IN}}\"\n") != std::string::npos);
  CHECK(cmd.find("export AZ_BATCHAI_INPUT_IN2=\"${{inputs.IN2}}\"\n") != std::string::npos);
  CHECK(cmd.find("export AZ_BATCHAI_OUTPUT_OUT=\"${{outputs.OUT}}\"\n") != std::string::npos);
  CHECK(cmd.find("bai2aml_link \"${{inputs.mount_data}}\" \"$AZ_BATCHAI_MOUNT_ROOT/data\"\n") != std::string::npos);
  CHECK(cmd.find("bai2aml_link \"${{inputs.jobmount_jd}}\" \"$AZ_BATCHAI_JOB_MOUNT_ROOT/jd\"\n") != std::string::npos);
  // The input outside every mount keeps Batch AI's path, with a finding; the undefined variable gets its own.
  CHECK(cmd.find("export AZ_BATCHAI_INPUT_LOST=\"/mnt/local/data\"\n") != std::string::npos);
  const auto lost = findings(t, "job-path-unresolved");
  REQUIRE(lost.size() == 1);
  CHECK(lost[0].message.find("LOST") != std::string::npos);
  const auto undefined = findings(t, "job-variable-undefined");
  REQUIRE(undefined.size() == 1);
  CHECK(undefined[0].message.find("$AZ_BATCHAI_INPUT_INX") != std::string::npos);
  const DesiredResource* jr = find_resource(t, Kind::Job, "/jobs/j1");
  CHECK(std::count(jr->depends_on.begin(), jr->depends_on.end(), aml_ws("ws1") + "/datastores/acct_jobdata") == 1);
  CHECK(std::count(jr->depends_on.begin(), jr->depends_on.end(), aml_ws("ws1") + "/datastores/acct_share") == 1);
}

TEST_CASE("job preparation runs once per node before the command, secrets dropped by name, registry credentials reported", "[rules][jobs]") {
  const json j = job("ws1", "e", "j1", "cl1",
                     {{"jobPreparation", {{"commandLine", "pip install x"}}},
                      {"secrets", json::array({{{"name", "DB_PASSWORD"}, {"value", "very-secret-db-password"}},
                                               {{"name", "KV"}, {"valueSecretReference", {{"sourceVault", {{"id", "/kv"}}}, {"secretUrl", "https://kv/s"}}}}})},
                      {"containerSettings", {{"imageSourceRegistry", {{"serverUrl", "https://myacr.azurecr.io/"}, {"image", "team/img:1"},
                                                                      {"credentials", {{"username", "u"}, {"password", "registry-password-value"}}}}}}}});
  const Translation t = with_job(j);
  const json p = job_props(t, "j1");
  const std::string cmd = p["command"];
  CHECK(toolkit_part(p) == "echo hi");
  CHECK(cmd.find("if mkdir \"$bai2aml_prep.lock\" 2>/dev/null; then\n  (\npip install x\n  )\n") != std::string::npos);
  CHECK(cmd.find("pip install x") < cmd.find("# the job's command"));
  CHECK(findings(t, "job-preparation-prepended").empty());
  CHECK(findings(t, "job-preparation-under-mpi").empty());
  const auto s = findings(t, "job-secrets-dropped");
  REQUIRE(s.size() == 1);
  CHECK(s[0].message.find("DB_PASSWORD") != std::string::npos);
  CHECK(s[0].message.find("KV") != std::string::npos);
  CHECK(findings(t, "registry-credentials-dropped").size() == 1);
  const DesiredResource* env = of_kind(t, Kind::EnvironmentVersion).at(0);
  CHECK(env->body["properties"]["image"] == "myacr.azurecr.io/team/img:1");
  const std::string all = translation_dump(t);
  CHECK(all.find("very-secret-db-password") == std::string::npos);
  CHECK(all.find("registry-password-value") == std::string::npos);
  CHECK_FALSE(p.contains("environmentVariables"));
}

TEST_CASE("jobs share one environment per image - jobs without a container get the default image", "[rules][jobs]") {
  auto res = base();
  res.push_back(job("ws1", "e", "a", "cl1", {{"containerSettings", {{"imageSourceRegistry", {{"image", "tensorflow/tensorflow:1.8.0-gpu"}}}}}}));
  res.push_back(job("ws1", "e", "b", "cl1", {{"containerSettings", {{"imageSourceRegistry", {{"image", "tensorflow/tensorflow:1.8.0-gpu"}}}}}}));
  res.push_back(job("ws1", "e", "c", "cl1", {{"containerSettings", nullptr}}));
  const Translation t = translate(res, test_config());
  const auto versions = of_kind(t, Kind::EnvironmentVersion);
  REQUIRE(versions.size() == 2);
  CHECK(job_props(t, "a")["environmentId"] == job_props(t, "b")["environmentId"]);
  CHECK(job_props(t, "c")["environmentId"] != job_props(t, "a")["environmentId"]);
  bool default_image = false;
  for (const auto* v : versions) default_image = default_image || v->body["properties"]["image"] == kDefaultJobImage;
  CHECK(default_image);
  CHECK(findings(t, "job-no-container", ws_id("ws1") + "/experiments/e/jobs/c").size() == 1);
}

TEST_CASE("a job's cluster: missing, in another workspace, or written without its workspace segment", "[rules][jobs]") {
  auto res = base();
  res.push_back(workspace("ws2"));
  res.push_back(cluster("ws2", "cl2"));
  res.push_back(job("ws1", "e", "missing", "nope"));
  res.push_back(job("ws1", "e", "elsewhere", "cl2", {{"cluster", {{"id", ws_id("ws2") + "/clusters/cl2"}}}}));
  // GetJob.json writes the cluster id as .../providers/Microsoft.BatchAI/clusters/<name>.
  res.push_back(job("ws1", "e", "short", "cl1",
                    {{"cluster", {{"id", "/subscriptions/" + kSub + "/resourceGroups/rg/providers/Microsoft.BatchAI/clusters/cl1"}}}}));
  const Translation t = translate(res, test_config());
  CHECK(findings(t, "job-cluster-missing", ws_id("ws1") + "/experiments/e/jobs/missing").size() == 1);
  CHECK(findings(t, "job-cluster-missing", ws_id("ws1") + "/experiments/e/jobs/elsewhere").size() == 1);
  CHECK_FALSE(find_resource(t, Kind::Job, "/jobs/missing"));
  CHECK_FALSE(find_resource(t, Kind::Job, "/jobs/elsewhere"));
  CHECK(job_props(t, "short")["computeId"] == aml_ws("ws1") + "/computes/cl1");
}

TEST_CASE("every experiment is recorded", "[rules][jobs]") {
  const Translation t = with_job(job("ws1", "e", "j1", "cl1"));
  const auto f = findings(t, "experiment-recorded", ws_id("ws1") + "/experiments/e");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("1 job ") != std::string::npos);
}
