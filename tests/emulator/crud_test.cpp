// Core resource CRUD through the real emulator binary: GET/PUT/DELETE by id (case-insensitive), parents,
// api-version, secrets never returned, admin endpoints and stats.
#include <catch2/catch.hpp>

#include "tests/emulator/emulator_test_helpers.hpp"
#include "tests/support/emulator_process.hpp"

using namespace bai2aml::testing;
using namespace bai2aml::testing::emu;
using nlohmann::json;

TEST_CASE("a seeded AML workspace is served by id, case-insensitively, with its stored casing") {
  EmulatorProcess emu(seed_with_aml_workspace());
  HttpResult r = emu.arm("GET", q(aml_ws_path(), kAml));
  REQUIRE(r.status == 200);
  CHECK(r.json()["id"] == aml_ws_path());
  std::string upper = aml_ws_path();
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  HttpResult r2 = emu.arm("GET", q(upper, kAml));
  REQUIRE(r2.status == 200);
  CHECK(r2.json()["id"] == aml_ws_path());
  CHECK(r2.header("x-ms-ratelimit-remaining-subscription-reads") != "");
}

TEST_CASE("a missing resource is a 404 ResourceNotFound in ARM's error shape") {
  EmulatorProcess emu(seed_with_aml_workspace());
  HttpResult r = emu.arm("GET", q(aml_ws_path() + "/computes/nope", kAml));
  REQUIRE(r.status == 404);
  CHECK(r.json()["error"]["code"] == "ResourceNotFound");
  CHECK(r.json()["error"]["message"].get<std::string>().find("nope") != std::string::npos);
}

TEST_CASE("PUT under a missing parent is a 404 ParentResourceNotFound") {
  EmulatorProcess emu;
  HttpResult r = emu.arm("PUT", q(aml_ws_path("ghost") + "/datastores/ds1", kAml), azure_file_datastore_body().dump());
  REQUIRE(r.status == 404);
  CHECK(r.json()["error"]["code"] == "ParentResourceNotFound");
  CHECK(emu.resources().empty());
}

TEST_CASE("api-version is required and must be the provider's") {
  EmulatorProcess emu(seed_with_aml_workspace());
  HttpResult missing = emu.arm("GET", aml_ws_path());
  REQUIRE(missing.status == 400);
  CHECK(missing.json()["error"]["code"] == "MissingApiVersionParameter");
  HttpResult wrong = emu.arm("GET", q(aml_ws_path(), "2018-05-01"));
  REQUIRE(wrong.status == 400);
  CHECK(wrong.json()["error"]["code"] == "InvalidApiVersionParameter");
  HttpResult bai_wrong = emu.arm("GET", q(bai_ws_path(), kAml));
  CHECK(bai_wrong.status == 400);
}

TEST_CASE("a datastore PUT is synchronous: 201, then 200 on replace - GET never returns the account key") {
  EmulatorProcess emu(seed_with_aml_workspace());
  const std::string path = aml_ws_path() + "/datastores/files1";
  HttpResult created = emu.arm("PUT", q(path, kAml), azure_file_datastore_body("S3CRET-KEY").dump());
  REQUIRE(created.status == 201);
  CHECK(created.body.find("S3CRET-KEY") == std::string::npos);
  HttpResult replaced = emu.arm("PUT", q(path, kAml), azure_file_datastore_body("S3CRET-KEY").dump());
  CHECK(replaced.status == 200);
  HttpResult got = emu.arm("GET", q(path, kAml));
  REQUIRE(got.status == 200);
  CHECK(got.body.find("S3CRET-KEY") == std::string::npos);
  CHECK(got.json()["properties"]["credentials"]["credentialsType"] == "AccountKey");
  CHECK_FALSE(got.json()["properties"]["credentials"].contains("secrets"));
  HttpResult list = emu.arm("GET", q(aml_ws_path() + "/datastores", kAml));
  REQUIRE(list.status == 200);
  CHECK(list.json()["value"].size() == 1);
  CHECK(list.body.find("S3CRET-KEY") == std::string::npos);
  // The admin view is the stored state: the key was received.
  CHECK(emu.resources(path)[0]["properties"]["credentials"]["secrets"]["key"] == "S3CRET-KEY");
}

TEST_CASE("DELETE of a synchronous resource answers 200, then 204 once gone") {
  EmulatorProcess emu(seed_with_aml_workspace());
  const std::string path = aml_ws_path() + "/datastores/files1";
  REQUIRE(emu.arm("PUT", q(path, kAml), azure_file_datastore_body().dump()).status == 201);
  CHECK(emu.arm("DELETE", q(path, kAml)).status == 200);
  CHECK(emu.arm("GET", q(path, kAml)).status == 404);
  CHECK(emu.arm("DELETE", q(path, kAml)).status == 204);
}

TEST_CASE("admin endpoints insert, list by prefix and delete resources, and stats count ARM calls only") {
  EmulatorProcess emu;
  json ws = json::parse(seed_with_aml_workspace())["resources"][0];
  emu.put_resource(ws);
  CHECK(emu.resources(aml_ws_path()).size() == 1);
  CHECK(emu.resources("/subscriptions/other").empty());
  emu.reset_stats();
  CHECK(emu.arm("GET", q(aml_ws_path(), kAml)).status == 200);
  CHECK(emu.arm("GET", q(aml_ws_path() + "/computes/x", kAml)).status == 404);
  json stats = emu.stats();
  CHECK(stats["requests"]["GET"] == 2);
  CHECK(stats["requests"]["PUT"] == 0);
  CHECK(stats["status"]["200"] == 1);
  CHECK(stats["status"]["404"] == 1);
  CHECK(stats["throttled"] == 0);
  CHECK(stats["faults"] == 0);
  emu.delete_resource(aml_ws_path());
  CHECK(emu.resources().empty());
  CHECK(emu.arm("GET", q(aml_ws_path(), kAml)).status == 404);
  emu.reset_stats();
  CHECK(emu.stats()["requests"]["GET"] == 0);
}
