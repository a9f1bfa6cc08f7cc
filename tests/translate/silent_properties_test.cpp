// Issue 11, "nothing silent": every Batch AI property that used to be dropped maps to its AML
// counterpart or gives a catalogued finding.
#include <catch2/catch.hpp>

#include "tests/translate/fixtures.hpp"
#include "translate/translate.hpp"

using namespace bai2aml::translate;
using namespace bai2aml::translate::test;

namespace {

const std::string kJob = ws_id("ws1") + "/experiments/e/jobs/j1";

Translation translate_with(const json& ws, const json& cl, const json& j) {
  return translate({ws, cl, experiment("ws1", "e"), j}, test_config());
}

json job_props(const Translation& t) {
  const DesiredResource* r = find_resource(t, Kind::Job, "/jobs/j1");
  REQUIRE(r);
  return r->body.at("properties");
}

}  // namespace

TEST_CASE("workspace tags carry over next to the ownership tags, which win", "[rules][silent]") {
  json ws = workspace("ws1");
  ws["tags"] = {{"team", "vision"}, {"cost-center", "42"}, {"managed-by", "someone"}};
  const Translation t = translate_with(ws, cluster("ws1", "cl1"), job("ws1", "e", "j1", "cl1"));
  const DesiredResource* w = find_resource(t, Kind::Workspace, "/workspaces/ws1");
  REQUIRE(w);
  CHECK(w->body["tags"] == json{{"team", "vision"}, {"cost-center", "42"}, {"managed-by", "bai2aml"},
                                {"bai2aml-source", ws_id("ws1")}});
  const auto f = findings(t, "workspace-tag-reserved", ws_id("ws1"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("managed-by") != std::string::npos);
}

TEST_CASE("cluster scale and mount settings without an AML counterpart give findings", "[rules][silent]") {
  json manual = cluster("ws1", "cl1",
                        {{"scaleSettings", {{"manual", {{"targetNodeCount", 2}, {"nodeDeallocationOption", "requeue"}}}}},
                         {"nodeSetup",
                          {{"mountVolumes",
                            {{"azureFileShares", json::array({file_share("acct", "share", "data")})},
                             {"azureBlobFileSystems", json::array({blob("acct", "c", "b")})}}}}}});
  manual["properties"]["nodeSetup"]["mountVolumes"]["azureFileShares"][0]["fileMode"] = "0640";
  manual["properties"]["nodeSetup"]["mountVolumes"]["azureFileShares"][0]["directoryMode"] = "0777";
  manual["properties"]["nodeSetup"]["mountVolumes"]["azureBlobFileSystems"][0]["mountOptions"] = "-o attr_timeout=240";
  const Translation t = translate_with(workspace("ws1"), manual, job("ws1", "e", "j1", "cl1"));
  const std::string cl = ws_id("ws1") + "/clusters/cl1";
  REQUIRE(findings(t, "node-deallocation-option-changed", cl).size() == 1);
  const auto m = findings(t, "mount-options-dropped", cl);
  REQUIRE(m.size() == 2);
  CHECK((m[0].message + m[1].message).find("fileMode 0640") != std::string::npos);
  CHECK((m[0].message + m[1].message).find("directoryMode") == std::string::npos);  // the default, nothing lost
  CHECK((m[0].message + m[1].message).find("attr_timeout=240") != std::string::npos);

  const json autoscale = cluster("ws1", "cl1",
                                 {{"scaleSettings", {{"manual", nullptr},
                                                     {"autoScale", {{"minimumNodeCount", 0}, {"maximumNodeCount", 4}, {"initialNodeCount", 2}}}}}});
  const Translation a = translate_with(workspace("ws1"), autoscale, job("ws1", "e", "j1", "cl1"));
  REQUIRE(findings(a, "initial-node-count-dropped", cl).size() == 1);
  CHECK(findings(a, "node-deallocation-option-changed").empty());
  const json waiting = cluster("ws1", "cl1", {{"scaleSettings", {{"manual", {{"targetNodeCount", 2}, {"nodeDeallocationOption", "waitforjobcompletion"}}}}}});
  CHECK(findings(translate_with(workspace("ws1"), waiting, job("ws1", "e", "j1", "cl1")), "node-deallocation-option-changed").empty());
}

TEST_CASE("stdOutErrPathPrefix becomes an output at the Batch AI location, with the logs finding", "[rules][silent]") {
  const Translation t = translate_with(workspace("ws1"), cluster("ws1", "cl1"),
                                       job("ws1", "e", "j1", "cl1", {{"stdOutErrPathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/data/logs"}}));
  const json p = job_props(t);
  CHECK(p["outputs"]["batchai_stdouterr"]["uri"] == "azureml://datastores/acct_share/paths/logs/j1/stdouterr");
  CHECK(p["outputs"]["batchai_shared_job_temp"] ==
        json{{"jobOutputType", "uri_folder"}, {"mode", "ReadWriteMount"}, {"description", "the job's directory shared by its nodes"}});
  CHECK(p["command"].get<std::string>().find("export AZ_BATCHAI_STDOUTERR_DIR=\"${{outputs.batchai_stdouterr}}\"\n") !=
        std::string::npos);
  REQUIRE(findings(t, "job-logs-moved", kJob).size() == 1);

  const Translation lost = translate_with(workspace("ws1"), cluster("ws1", "cl1"),
                                          job("ws1", "e", "j1", "cl1", {{"stdOutErrPathPrefix", "/local/logs"}}));
  CHECK_FALSE(job_props(lost)["outputs"].contains("batchai_stdouterr"));
  CHECK(job_props(lost)["command"].get<std::string>().find("export AZ_BATCHAI_STDOUTERR_DIR=\"/local/logs/j1/stdouterr\"\n") !=
        std::string::npos);
  REQUIRE(findings(lost, "job-logs-moved", kJob).size() == 1);
}

TEST_CASE("schedulingPriority other than normal is reported", "[rules][silent]") {
  for (const auto& [priority, expected] : std::vector<std::pair<std::string, std::size_t>>{{"high", 1}, {"low", 1}, {"normal", 0}}) {
    INFO(priority);
    const Translation t = translate_with(workspace("ws1"), cluster("ws1", "cl1"),
                                         job("ws1", "e", "j1", "cl1", {{"schedulingPriority", priority}}));
    CHECK(findings(t, "job-priority-dropped", kJob).size() == expected);
  }
}

TEST_CASE("variables: undefined ones, preparation under MPI", "[rules][silent]") {
  const json j = job("ws1", "e", "j1", "cl1",
                     {{"nodeCount", 2},
                      {"toolType", "horovod"},
                      {"customToolkitSettings", nullptr},
                      {"horovodSettings",
                       {{"pythonScriptFilePath", "h.py"},
                        {"commandLineArgs", "--hosts $AZ_BATCHAI_MPI_HOST_FILE --ps $AZ_BATCHAI_PS_HOSTS --tmp $AZ_BATCHAI_JOB_TEMP"}}},
                      {"jobPreparation", {{"commandLine", "apt-get install -y openmpi-bin"}}},
                      {"environmentVariables", json::array({{{"name", "X"}, {"value", "$AZ_BATCHAI_TASK_INDEX"}}})}});
  const Translation t = translate_with(workspace("ws1"), cluster("ws1", "cl1"), j);
  const auto undefined = findings(t, "job-variable-undefined", kJob);
  REQUIRE(undefined.size() == 2);  // PS_HOSTS and TASK_INDEX are not Horovod's; JOB_TEMP is defined
  CHECK((undefined[0].message + undefined[1].message).find("$AZ_BATCHAI_PS_HOSTS") != std::string::npos);
  CHECK((undefined[0].message + undefined[1].message).find("$AZ_BATCHAI_TASK_INDEX") != std::string::npos);
  CHECK(findings(t, "job-preparation-under-mpi", kJob).size() == 1);
  CHECK(findings(t, "job-path-unresolved").empty());
  // The variable that refers to another is exported by the prologue, not set literally.
  const json p = job_props(t);
  CHECK_FALSE(p.contains("environmentVariables"));
  CHECK(p["command"].get<std::string>().find("export X=\"$AZ_BATCHAI_TASK_INDEX\"\n") != std::string::npos);
}

TEST_CASE("directory ids that look like bai2aml's own bindings get names of their own", "[rules][silent]") {
  const json j = job("ws1", "e", "j1", "cl1",
                     {{"inputDirectories", json::array({{{"id", "mount_data"}, {"path", "$AZ_BATCHAI_MOUNT_ROOT/data/in"}}})},
                      {"outputDirectories", json::array({{{"id", "batchai_shared_job_temp"}, {"pathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/data"}}})}});
  const json p = job_props(translate_with(workspace("ws1"), cluster("ws1", "cl1"), j));
  CHECK(p["inputs"]["mount_data"]["uri"] == "azureml://datastores/acct_share/paths/");  // the cluster mount
  CHECK(p["inputs"]["mount_data_"]["uri"] == "azureml://datastores/acct_share/paths/in");
  CHECK(p["outputs"]["batchai_shared_job_temp"]["uri"] == "azureml://datastores/acct_share/paths/j1");
  CHECK_FALSE(p["outputs"]["batchai_shared_job_temp_"].contains("uri"));
  const std::string cmd = p["command"];
  CHECK(cmd.find("export AZ_BATCHAI_INPUT_mount_data=\"${{inputs.mount_data_}}\"\n") != std::string::npos);
  CHECK(cmd.find("bai2aml_shared=\"${{outputs.batchai_shared_job_temp_}}\"\n") != std::string::npos);
}
