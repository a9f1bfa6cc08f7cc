// Request validation through HTTP: broken bodies, names, immutable fields, PATCH limits, job idempotency,
// compute name uniqueness per region.
#include <catch2/catch.hpp>

#include "tests/emulator/emulator_test_helpers.hpp"
#include "tests/support/emulator_process.hpp"

using namespace bai2aml::testing;
using namespace bai2aml::testing::emu;
using nlohmann::json;

namespace {
void expect_error(const HttpResult& r, int status, const std::string& code, const std::string& mentions = "") {
  INFO(r.body);
  REQUIRE(r.status == status);
  CHECK(r.json()["error"]["code"] == code);
  if (!mentions.empty()) CHECK(r.json()["error"]["message"].get<std::string>().find(mentions) != std::string::npos);
}
}  // namespace

TEST_CASE("broken AmlCompute bodies are rejected with 400 and the property named") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});
  const std::string path = q(aml_ws_path() + "/computes/gpu-cluster", kAml);
  expect_error(emu.arm("PUT", path, "{not json"), 400, "InvalidRequestContent");
  expect_error(emu.arm("PUT", path, "[]"), 400, "InvalidRequestContent");
  json b = aml_compute_body();
  b["properties"].erase("computeType");
  expect_error(emu.arm("PUT", path, b.dump()), 400, "MissingRequiredProperty", "properties.computeType");
  b = aml_compute_body();
  b["properties"]["properties"]["vmPriority"] = "Spot";
  expect_error(emu.arm("PUT", path, b.dump()), 400, "InvalidParameter", "vmPriority");
  b = aml_compute_body();
  b["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = "four";
  expect_error(emu.arm("PUT", path, b.dump()), 400, "InvalidParameter", "maxNodeCount");
  b = aml_compute_body();
  b["properties"]["properties"]["scaleSettings"].erase("maxNodeCount");
  expect_error(emu.arm("PUT", path, b.dump()), 400, "MissingRequiredProperty", "maxNodeCount");
  b = aml_compute_body();
  b["properties"]["properties"]["scaleSettings"]["minNodeCount"] = 9;
  expect_error(emu.arm("PUT", path, b.dump()), 400, "InvalidParameter", "minNodeCount");
  b = aml_compute_body();
  b["properties"]["properties"]["scaleSettings"]["nodeIdleTimeBeforeScaleDown"] = "5 minutes";
  expect_error(emu.arm("PUT", path, b.dump()), 400, "InvalidParameter", "nodeIdleTimeBeforeScaleDown");
  expect_error(emu.arm("PUT", path, aml_compute_body("Standard_XYZ99").dump()), 400, "InvalidParameter", "vmSize");
  b = aml_compute_body();
  b["properties"]["computeType"] = "AKS";
  expect_error(emu.arm("PUT", path, b.dump()), 400, "InvalidParameter", "AKS");
  b = aml_compute_body();
  b["properties"]["properties"]["userAccountCredentials"].erase("adminUserName");
  expect_error(emu.arm("PUT", path, b.dump()), 400, "MissingRequiredProperty", "adminUserName");
  CHECK(emu.resources(aml_ws_path() + "/computes").empty());
}

TEST_CASE("AML compute names are checked, and unique per region case-insensitively") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});
  for (const char* bad : {"ab", "1gpu", "gpu_1", "gpu-1", "abcdefghijklmnopqrstuvwxy"})
    expect_error(emu.arm("PUT", q(aml_ws_path() + "/computes/" + bad, kAml), aml_compute_body().dump()), 400,
                 "InvalidResourceName", bad);
  REQUIRE(emu.arm("PUT", q(aml_ws_path() + "/computes/gpu-cluster", kAml), aml_compute_body().dump()).status == 201);
  // Another workspace in the same region: the name is taken (case-insensitively).
  json ws2 = json::parse(seed_with_aml_workspace())["resources"][0];
  ws2["id"] = aml_ws_path("ws2");
  ws2["name"] = "ws2";
  emu.put_resource(ws2);
  expect_error(emu.arm("PUT", q(aml_ws_path("ws2") + "/computes/GPU-Cluster", kAml), aml_compute_body().dump()), 409,
               "Conflict", "region");
  // In another region it is free.
  json west = aml_compute_body();
  west["location"] = "westus";
  CHECK(emu.arm("PUT", q(aml_ws_path("ws2") + "/computes/GPU-Cluster", kAml), west.dump()).status == 201);
}

TEST_CASE("immutable AmlCompute fields cannot change on a PUT over an existing compute") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});
  const std::string path = q(aml_ws_path() + "/computes/gpu-cluster", kAml);
  REQUIRE(emu.arm("PUT", path, aml_compute_body().dump()).status == 201);
  expect_error(emu.arm("PUT", path, aml_compute_body("Standard_NC12").dump()), 409, "PropertyChangeNotAllowed", "vmSize");
  json b = aml_compute_body();
  b["properties"]["properties"]["vmPriority"] = "LowPriority";
  expect_error(emu.arm("PUT", path, b.dump()), 409, "PropertyChangeNotAllowed", "vmPriority");
  b = aml_compute_body();
  b["properties"]["properties"]["subnet"] = {{"id", "/subscriptions/x/subnets/s1"}};
  expect_error(emu.arm("PUT", path, b.dump()), 409, "PropertyChangeNotAllowed", "subnet");
  b = aml_compute_body();
  b["properties"]["properties"]["userAccountCredentials"]["adminUserPassword"] = "another-one";
  HttpResult pw = emu.arm("PUT", path, b.dump());
  expect_error(pw, 409, "PropertyChangeNotAllowed", "adminUserPassword");
  CHECK(pw.body.find("another-one") == std::string::npos);
  CHECK(pw.body.find("Hunter2") == std::string::npos);
  b = aml_compute_body();
  b["properties"]["properties"]["remoteLoginPortPublicAccess"] = "Enabled";
  expect_error(emu.arm("PUT", path, b.dump()), 409, "PropertyChangeNotAllowed", "remoteLoginPortPublicAccess");
  // vmSize compares case-insensitively; scale settings may change.
  CHECK(emu.arm("PUT", path, aml_compute_body("STANDARD_NC6", 10).dump()).status == 200);
}

TEST_CASE("compute PATCH accepts only scaleSettings") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});
  const std::string path = q(aml_ws_path() + "/computes/gpu-cluster", kAml);
  CHECK(emu.arm("PATCH", path, R"({"properties":{"properties":{"scaleSettings":{"maxNodeCount":2}}}})").status == 404);
  REQUIRE(emu.arm("PUT", path, aml_compute_body().dump()).status == 201);
  HttpResult ok = emu.arm("PATCH", path, R"({"properties":{"properties":{"scaleSettings":{"maxNodeCount":2,"minNodeCount":1}}}})");
  REQUIRE(ok.status == 200);
  CHECK(ok.header("Azure-AsyncOperation") != "");
  CHECK(emu.arm("GET", path).json()["properties"]["properties"]["scaleSettings"]["maxNodeCount"] == 2);
  expect_error(emu.arm("PATCH", path, R"({"properties":{"properties":{"vmSize":"Standard_NC12"}}})"), 400,
               "InvalidParameter", "vmSize");
  expect_error(emu.arm("PATCH", path, R"({"tags":{"a":"b"}})"), 400, "InvalidParameter", "tags");
  expect_error(emu.arm("PATCH", path, R"({"properties":{"properties":{}}})"), 400, "MissingRequiredProperty",
               "scaleSettings");
}

TEST_CASE("a job PUT with the same body is idempotent - a different body for the same name conflicts") {
  EmulatorProcess emu(seed_with_aml_workspace());
  const std::string path = q(aml_ws_path() + "/jobs/job-1", kAml);
  REQUIRE(emu.arm("PUT", path, command_job_body().dump()).status == 201);
  HttpResult same = emu.arm("PUT", path, command_job_body().dump());
  CHECK(same.status == 200);
  CHECK(same.json()["properties"]["status"] == "NotStarted");
  expect_error(emu.arm("PUT", path, command_job_body("python other.py").dump()), 409, "Conflict", "command");
  json no_env = command_job_body();
  no_env["properties"].erase("environmentId");
  expect_error(emu.arm("PUT", q(aml_ws_path() + "/jobs/job-2", kAml), no_env.dump()), 400, "MissingRequiredProperty",
               "environmentId");
  json sweep = command_job_body();
  sweep["properties"]["jobType"] = "Sweeping";
  expect_error(emu.arm("PUT", q(aml_ws_path() + "/jobs/job-2", kAml), sweep.dump()), 400, "InvalidParameter", "jobType");
  json dist = command_job_body();
  dist["properties"]["distribution"] = {{"distributionType", "Horovod"}};
  expect_error(emu.arm("PUT", q(aml_ws_path() + "/jobs/job-2", kAml), dist.dump()), 400, "InvalidParameter",
               "distributionType");
  expect_error(emu.arm("PUT", q(aml_ws_path() + "/jobs/-bad", kAml), command_job_body().dump()), 400,
               "InvalidResourceName");
}

TEST_CASE("datastore, environment and workspace bodies are validated") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});
  const std::string ds = q(aml_ws_path() + "/datastores/d1", kAml);
  json b = azure_file_datastore_body();
  b["properties"].erase("fileShareName");
  expect_error(emu.arm("PUT", ds, b.dump()), 400, "MissingRequiredProperty", "fileShareName");
  b = azure_file_datastore_body();
  b["properties"]["datastoreType"] = "Nfs";
  expect_error(emu.arm("PUT", ds, b.dump()), 400, "InvalidParameter", "datastoreType");
  b = azure_file_datastore_body();
  b["properties"]["credentials"].erase("secrets");
  expect_error(emu.arm("PUT", ds, b.dump()), 400, "MissingRequiredProperty", "secrets");
  b = azure_file_datastore_body();
  b["properties"]["mountPoint"] = "/mnt";
  expect_error(emu.arm("PUT", ds, b.dump()), 400, "InvalidParameter", "mountPoint");

  const std::string ver = q(aml_ws_path() + "/environments/env1/versions/1", kAml);
  expect_error(emu.arm("PUT", ver, R"({"properties":{"description":"no image"}})"), 400, "MissingRequiredProperty", "image");
  REQUIRE(emu.arm("PUT", ver, R"({"properties":{"image":"docker.io/library/python:3.10"}})").status == 201);
  // The container appeared with its first version, as in AML.
  HttpResult container = emu.arm("GET", q(aml_ws_path() + "/environments/env1", kAml));
  REQUIRE(container.status == 200);
  CHECK(container.json()["properties"]["latestVersion"] == "1");
  CHECK(emu.arm("PUT", ver, R"({"properties":{"image":"docker.io/library/python:3.10"}})").status == 200);
  expect_error(emu.arm("PUT", ver, R"({"properties":{"image":"docker.io/library/python:3.11"}})"), 409,
               "PropertyChangeNotAllowed", "image");

  expect_error(emu.arm("PUT", q(aml_ws_path("ws9"), kAml), R"({"properties":{}})"), 400, "MissingRequiredProperty",
               "location");
  expect_error(emu.arm("PUT", q(aml_ws_path("w"), kAml), R"({"location":"eastus"})"), 400, "InvalidResourceName");
}

TEST_CASE("Batch AI write bodies are validated") {
  EmulatorProcess emu("{\"resources\":[]}", {"--lro-ms", "0"});
  expect_error(emu.arm("PUT", q(bai_ws_path(), kBai), "{}"), 400, "MissingRequiredProperty", "location");
  REQUIRE(emu.arm("PUT", q(bai_ws_path(), kBai), R"({"location":"eastus"})").status == 202);
  const std::string cluster = q(bai_ws_path() + "/clusters/c1", kBai);
  expect_error(emu.arm("PUT", cluster, R"({"properties":{"vmSize":"STANDARD_NC6"}})"), 400, "MissingRequiredProperty",
               "userAccountSettings");
  expect_error(emu.arm("PUT", cluster,
                       R"({"properties":{"vmSize":"STANDARD_NC6","vmPriority":"Dedicated","userAccountSettings":{"adminUserName":"u"}}})"),
               400, "InvalidParameter", "vmPriority");
  REQUIRE(emu.arm("PUT", cluster,
                  R"({"properties":{"vmSize":"STANDARD_NC6","userAccountSettings":{"adminUserName":"u","adminUserPassword":"pw-123"},"scaleSettings":{"manual":{"targetNodeCount":1}}}})")
              .status == 202);
  HttpResult got = emu.arm("GET", cluster);
  CHECK(got.body.find("pw-123") == std::string::npos);
  HttpResult patched = emu.arm("PATCH", cluster, R"({"properties":{"scaleSettings":{"autoScale":{"minimumNodeCount":0,"maximumNodeCount":3}}}})");
  CHECK(patched.status == 200);
  expect_error(emu.arm("PATCH", cluster, R"({"properties":{"vmSize":"STANDARD_NC12"}})"), 400, "InvalidParameter", "vmSize");
  expect_error(emu.arm("PATCH", q(bai_ws_path() + "/experiments/e1", kBai), "{}"), 405, "MethodNotAllowed");
}

TEST_CASE("quotas as AML enforces them: a minimum beyond the quota is refused - a maximum is not - nor a job that fits") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});  // default NC family quota: 24 vCPUs
  const std::string computes = aml_ws_path() + "/computes/";
  json too_big = aml_compute_body("Standard_NC6", 8);
  too_big["properties"]["properties"]["scaleSettings"]["minNodeCount"] = 5;  // 5 x 6 = 30 vCPUs
  HttpResult refused = emu.arm("PUT", q(computes + "gpu-min5", kAml), too_big.dump());
  CHECK(refused.status == 400);
  CHECK(refused.json()["error"]["code"] == "BadRequest");
  CHECK(refused.json()["error"]["message"].get<std::string>().find(
            "Standard NC family vCPU quota of 24 (0 in use) and cannot accomodate for at least 5 requested managed "
            "compute nodes which maps to 30 vCPUs") != std::string::npos);
  CHECK(emu.arm("GET", q(computes + "gpu-min5", kAml)).status == 404);
  // maxNodeCount 100 x 6 vCPUs is far beyond the quota: AML accepts it.
  REQUIRE(emu.arm("PUT", q(computes + "gpu-cluster", kAml), aml_compute_body("Standard_NC6", 100).dump()).status == 201);

  // Jobs: 4 x 6 = 24 fits the family's 24; 5 x 6 = 30 could never run.
  json job = command_job_body();
  job["properties"]["resources"]["instanceCount"] = 5;
  HttpResult big = emu.arm("PUT", q(aml_ws_path() + "/jobs/too-wide", kAml), job.dump());
  CHECK(big.status == 400);
  CHECK(big.json()["error"]["code"] == "JobNodeCountExceedsCoreQuota");
  CHECK(big.json()["error"]["message"].get<std::string>().find(
            "quota of 24 and is less than the requested job node count of 5 which maps to 30 vCPUs") != std::string::npos);
  job["properties"]["resources"]["instanceCount"] = 4;
  CHECK(emu.arm("PUT", q(aml_ws_path() + "/jobs/fits", kAml), job.dump()).status == 201);
}

// issue 14: the emulator's request parsing bounds nesting like bai2aml's own.
TEST_CASE("a request body nested deeper than 64 levels or with a number beyond double is InvalidRequestContent") {
  EmulatorProcess emu(seed_with_aml_workspace(), {"--lro-ms", "0"});
  const std::string path = q(aml_ws_path() + "/computes/gpu-cluster", kAml);
  std::string body = aml_compute_body().dump();
  body.insert(body.rfind('}'), ", \"x\": " + std::string(100000, '[') + std::string(100000, ']'));
  expect_error(emu.arm("PUT", path, body), 400, "InvalidRequestContent", "nested deeper than 64 levels");
  // Found by emulator_request_fuzzer: a number beyond double was out_of_range.406, not a parse_error.
  expect_error(emu.arm("PUT", path, "{\"location\": 1e400}"), 400, "InvalidRequestContent", "number overflow");
  // Found by arm_response_fuzzer in the shared parser: the parse error quoted bytes that are not UTF-8,
  // and the emulator's own JSON error answer could not be written.
  expect_error(emu.arm("PUT", path, "{\"location\": u\xff\xfe}"), 400, "InvalidRequestContent", "not valid JSON");
  CHECK(emu.arm("PUT", path, aml_compute_body().dump()).status / 100 == 2);  // the emulator lives on
}
