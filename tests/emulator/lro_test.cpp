// Long-running operations: AmlCompute and workspace PUT/DELETE, Batch AI PUT, job cancel/terminate.
#include <catch2/catch.hpp>
#include <thread>

#include "tests/emulator/emulator_test_helpers.hpp"
#include "tests/support/emulator_process.hpp"

using namespace bai2aml::testing;
using namespace bai2aml::testing::emu;
using nlohmann::json;

namespace {
// Turns an absolute operation URL of this emulator into path+query.
std::string local(const EmulatorProcess& emu, const std::string& url) {
  REQUIRE(url.rfind(emu.base_url(), 0) == 0);
  return url.substr(emu.base_url().size());
}
}  // namespace

TEST_CASE("AmlCompute PUT answers 201 Creating with Azure-AsyncOperation, then reaches Succeeded after --lro-ms") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "400"});
  const std::string path = aml_ws_path() + "/computes/gpu-cluster";
  HttpResult put = emu.arm("PUT", q(path, kAml), aml_compute_body().dump());
  REQUIRE(put.status == 201);
  CHECK(put.json()["properties"]["provisioningState"] == "Creating");
  CHECK(put.header("Retry-After") == "0");
  CHECK(put.body.find("Hunter2-secret") == std::string::npos);
  const std::string op_url = put.header("Azure-AsyncOperation");
  REQUIRE(op_url.find("/providers/Microsoft.MachineLearningServices/locations/eastus/operationsStatus/") != std::string::npos);
  CHECK(op_url.find("api-version=2024-04-01") != std::string::npos);

  HttpResult poll = emu.arm("GET", local(emu, op_url));
  REQUIRE(poll.status == 200);
  CHECK(poll.json()["status"] == "InProgress");
  CHECK(emu.arm("GET", q(path, kAml)).json()["properties"]["provisioningState"] == "Creating");

  REQUIRE(eventually([&] { return emu.arm("GET", local(emu, op_url)).json()["status"] == "Succeeded"; },
                     std::chrono::seconds(5)));
  HttpResult got = emu.arm("GET", q(path, kAml));
  CHECK(got.json()["properties"]["provisioningState"] == "Succeeded");
  CHECK(got.json()["properties"]["properties"]["allocationState"] == "Steady");
  CHECK_FALSE(got.json()["properties"]["properties"]["userAccountCredentials"].contains("adminUserPassword"));
  CHECK(got.json()["properties"]["properties"]["userAccountCredentials"]["adminUserName"] == "azureuser");
}

TEST_CASE("a PUT over an existing compute answers 200 Updating") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});
  const std::string path = aml_ws_path() + "/computes/gpu-cluster";
  REQUIRE(emu.arm("PUT", q(path, kAml), aml_compute_body().dump()).status == 201);
  HttpResult again = emu.arm("PUT", q(path, kAml), aml_compute_body("Standard_NC6", 8).dump());
  REQUIRE(again.status == 200);
  CHECK(again.json()["properties"]["provisioningState"] == "Updating");
  CHECK(again.header("Azure-AsyncOperation") != "");
  CHECK(emu.arm("GET", q(path, kAml)).json()["properties"]["properties"]["scaleSettings"]["maxNodeCount"] == 8);
}

TEST_CASE("a PUT over a Failed compute answers 200 with it still Failed - only a DELETE clears it") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});
  const std::string path = aml_ws_path() + "/computes/gpu-cluster";
  REQUIRE(emu.arm("PUT", q(path, kAml), aml_compute_body().dump()).status == 201);
  json failed = emu.resources(path).at(0);
  failed["properties"]["provisioningState"] = "Failed";
  failed["properties"]["provisioningErrors"] = json::array({{{"error", {{"code", "AllocationFailed"}, {"message", "no capacity"}}}}});
  emu.put_resource(failed);
  HttpResult again = emu.arm("PUT", q(path, kAml), aml_compute_body().dump());
  REQUIRE(again.status == 200);
  CHECK(again.header("Azure-AsyncOperation") == "");
  CHECK(again.json()["properties"]["provisioningState"] == "Failed");
  CHECK(emu.arm("GET", q(path, kAml)).json()["properties"]["provisioningErrors"][0]["error"]["code"] == "AllocationFailed");
  REQUIRE(emu.arm("DELETE", q(path, kAml)).status == 202);
  REQUIRE(eventually([&] { return emu.arm("GET", q(path, kAml)).status == 404; }, std::chrono::seconds(5)));
  HttpResult fresh = emu.arm("PUT", q(path, kAml), aml_compute_body().dump());
  CHECK(fresh.status == 201);
  CHECK(fresh.json()["properties"]["provisioningState"] == "Creating");
}

TEST_CASE("AmlCompute DELETE answers 202 with Azure-AsyncOperation and Location - Location answers 202 then 204") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "1500"});
  const std::string path = aml_ws_path() + "/computes/gpu-cluster";
  REQUIRE(emu.arm("PUT", q(path, kAml), aml_compute_body().dump()).status == 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(1600));
  HttpResult del = emu.arm("DELETE", q(path, kAml));
  REQUIRE(del.status == 202);
  CHECK(del.header("Retry-After") == "2");
  REQUIRE(del.header("Azure-AsyncOperation") != "");
  const std::string location = del.header("Location");
  REQUIRE(location.find("/operationResults/") != std::string::npos);
  CHECK(emu.arm("GET", q(path, kAml)).json()["properties"]["provisioningState"] == "Deleting");
  HttpResult pending = emu.arm("GET", local(emu, location));
  CHECK(pending.status == 202);
  CHECK(pending.header("Retry-After") == "2");
  REQUIRE(eventually([&] { return emu.arm("GET", local(emu, location)).status == 204; }, std::chrono::seconds(5)));
  CHECK(emu.arm("GET", q(path, kAml)).status == 404);
  CHECK(emu.arm("GET", local(emu, del.header("Azure-AsyncOperation"))).json()["status"] == "Succeeded");
}

TEST_CASE("AML workspace PUT is a 202 long-running operation - deleting it removes its children") {
  EmulatorProcess emu("{\"resources\":[]}", {"--lro-ms", "200"});
  json body = {{"location", "westeurope"},
               {"properties", {{"friendlyName", "Migrated"}, {"storageAccount", "/subscriptions/x/sa"}}}};
  HttpResult put = emu.arm("PUT", q(aml_ws_path(), kAml), body.dump());
  REQUIRE(put.status == 202);
  CHECK(put.header("Azure-AsyncOperation").find("/locations/westeurope/operationsStatus/") != std::string::npos);
  CHECK(put.header("Location") != "");
  CHECK(emu.arm("GET", q(aml_ws_path(), kAml)).json()["properties"]["provisioningState"] == "Creating");
  REQUIRE(eventually([&] {
    return emu.arm("GET", q(aml_ws_path(), kAml)).json()["properties"]["provisioningState"] == "Succeeded";
  }));
  REQUIRE(emu.arm("PUT", q(aml_ws_path() + "/datastores/d1", kAml), azure_file_datastore_body().dump()).status == 201);
  REQUIRE(emu.arm("DELETE", q(aml_ws_path(), kAml)).status == 202);
  REQUIRE(eventually([&] { return emu.arm("GET", q(aml_ws_path(), kAml)).status == 404; }));
  CHECK(emu.resources().empty());
}

TEST_CASE("AML job cancel answers 202 and the job ends Canceled - Batch AI terminate ends the job") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "100"});
  const std::string job = aml_ws_path() + "/jobs/job-1";
  HttpResult put = emu.arm("PUT", q(job, kAml), command_job_body().dump());
  REQUIRE(put.status == 201);
  CHECK(put.json()["properties"]["status"] == "NotStarted");
  HttpResult cancel = emu.arm("POST", q(job + "/cancel", kAml));
  REQUIRE(cancel.status == 202);
  CHECK(cancel.header("Location") != "");
  CHECK(emu.arm("GET", q(job, kAml)).json()["properties"]["status"] == "CancelRequested");
  REQUIRE(eventually([&] { return emu.arm("GET", q(job, kAml)).json()["properties"]["status"] == "Canceled"; }));
  CHECK(emu.arm("POST", q(aml_ws_path() + "/jobs/ghost/cancel", kAml)).status == 404);

  // Batch AI: workspace, experiment, job (all long-running PUTs), then terminate.
  REQUIRE(emu.arm("PUT", q(bai_ws_path(), kBai), R"({"location":"eastus"})").status == 202);
  REQUIRE(emu.arm("PUT", q(bai_ws_path() + "/experiments/e1", kBai), "").status == 202);
  json bjob = {{"properties",
                {{"cluster", {{"id", bai_ws_path() + "/clusters/c1"}}},
                 {"nodeCount", 1},
                 {"stdOutErrPathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/logs"},
                 {"customToolkitSettings", {{"commandLine", "echo hi"}}}}}};
  const std::string bjob_path = bai_ws_path() + "/experiments/e1/jobs/j1";
  HttpResult bput = emu.arm("PUT", q(bjob_path, kBai), bjob.dump());
  REQUIRE(bput.status == 202);
  // The result URL of a PUT ends with the resource itself.
  const std::string result = local(emu, bput.header("Location"));
  REQUIRE(eventually([&] { return emu.arm("GET", result).status == 200; }));
  CHECK(emu.arm("GET", result).json()["id"] == bjob_path);
  REQUIRE(eventually([&] {
    return emu.arm("GET", q(bjob_path, kBai)).json()["properties"]["provisioningState"] == "succeeded";
  }));
  CHECK(emu.arm("GET", q(bjob_path, kBai)).json()["properties"]["executionState"] == "queued");
  HttpResult term = emu.arm("POST", q(bjob_path + "/terminate", kBai));
  REQUIRE(term.status == 202);
  CHECK(emu.arm("GET", q(bjob_path, kBai)).json()["properties"]["executionState"] == "terminating");
  REQUIRE(eventually([&] { return emu.arm("GET", q(bjob_path, kBai)).json()["properties"]["executionState"] == "failed"; }));
}

TEST_CASE("an unknown operation id is a 404") {
  EmulatorProcess emu;
  HttpResult r = emu.arm("GET", "/subscriptions/" + kSub +
                                    "/providers/Microsoft.MachineLearningServices/locations/eastus/operationsStatus/"
                                    "nope?api-version=2024-04-01");
  CHECK(r.status == 404);
}
