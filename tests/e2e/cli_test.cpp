// The command-line contract (DESIGN.md §4.1): exit codes, and nothing sent on an invalid config.
#include <catch2/catch.hpp>

#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;

TEST_CASE("check-config accepts a valid config silently and rejects a bad one with exit 2") {
  EmulatorProcess emulator(sample_seed());
  E2eBench bench(emulator);
  auto ok = bench.bai2aml({"check-config", "--config", bench.config_path()});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.empty());
  CHECK(ok.err.empty());

  auto cfg = bench.config_json();
  cfg["azure"]["auth"]["method"] = "password";
  cfg["polcy"] = nlohmann::json::object();
  bench.write_config(cfg);
  auto bad = bench.bai2aml({"check-config", "--config", bench.config_path()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("azure.auth.method: \"password\" is not one of client_secret, managed_identity, workload_identity, "
                     "environment") != std::string::npos);
  CHECK(bad.err.find("polcy: unknown key (did you mean \"policy\"?)") != std::string::npos);

  // No command sends anything to Azure on an invalid config.
  emulator.reset_stats();
  for (const char* cmd : {"plan", "apply", "run", "inventory"}) {
    std::vector<std::string> args = {cmd};
    if (std::string(cmd) == "inventory") args = {"inventory", "export", "--out", bench.file("x.json")};
    args.push_back("--config");
    args.push_back(bench.config_path());
    INFO(cmd);
    CHECK(bench.bai2aml(args).exit_code == 2);
  }
  CHECK(emulator.stats()["requests"].value("GET", 0) == 0);
  CHECK(write_requests(emulator) == 0);
}

TEST_CASE("usage errors exit 2") {
  EmulatorProcess emulator(sample_seed());
  E2eBench bench(emulator);
  CHECK(bench.bai2aml({}).exit_code == 2);
  CHECK(bench.bai2aml({"migrate", "--config", bench.config_path()}).exit_code == 2);
  CHECK(bench.bai2aml({"plan"}).exit_code == 2);
  CHECK(bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "soon"}).exit_code == 2);
  CHECK(bench.bai2aml({"status", "--config", bench.config_path(), "--format", "json"}).exit_code == 2);
  CHECK(bench.bai2aml({"--version"}).out.find("bai2aml ") == 0);
}

TEST_CASE("plan reads the source and the live state and changes nothing") {
  EmulatorProcess emulator(sample_seed_with_ample_quota());
  E2eBench bench(emulator);
  emulator.reset_stats();
  auto r = bench.bai2aml({"plan", "--config", bench.config_path(), "--json"});
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["target_observed"] == true);
  CHECK(doc["action_counts"]["create"].get<int>() == static_cast<int>(doc["actions"].size()));
  CHECK(doc["actions"].size() >= 20);
  CHECK(write_requests(emulator) == 0);
  CHECK(aml_resource_ids(emulator).empty());
}

TEST_CASE("inventory export writes a seed the emulator serves back, without secrets") {
  EmulatorProcess emulator(sample_seed());
  E2eBench bench(emulator);
  auto r = bench.bai2aml({"inventory", "export", "--config", bench.config_path(), "--out", bench.file("estate.json")});
  REQUIRE(r.exit_code == 0);
  const auto exported = read_file(bench.file("estate.json"));
  auto seed = nlohmann::json::parse(exported);
  const auto original = nlohmann::json::parse(sample_seed());
  CHECK(seed["resources"].size() == original["resources"].size());
  for (const char* secret : {"adminUserPassword", "accountKey\"", "\"value\": \"s3"}) CHECK(exported.find(secret) == std::string::npos);
  EmulatorProcess rehearsal(exported);  // the seed format round-trips
  CHECK(rehearsal.resources("/subscriptions/00000000-0000-0000-0000-000000000001/").size() == seed["resources"].size());
}
