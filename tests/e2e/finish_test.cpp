// Every migration finishes or says why (issue 13), end to end against the emulator: a compute whose
// provisioning ended Failed is recovered under faults, quota as AML enforces it, and a foreign
// workspace whose LISTs fail holds nothing but itself.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;
using nlohmann::json;

namespace {

const std::string kAmlRg = "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-migrated/";

// The report entry of a source resource (by id suffix), or null.
json entry(const json& rep, const std::string& source_suffix) {
  for (const auto& e : rep["resources"])
    if (ends_with_ci(e["source_id"].get<std::string>(), source_suffix)) return e;
  return nullptr;
}

json finding(const json& e, const std::string& code) {
  if (e.is_null()) return nullptr;
  for (const auto& f : e["findings"])
    if (f["code"] == code) return f;
  return nullptr;
}

json aml_of(const json& e, const std::string& kind) {
  for (const auto& a : e["aml"])
    if (a["kind"] == kind) return a;
  return nullptr;
}

json resource(const EmulatorProcess& emulator, const std::string& id) {
  for (const auto& r : emulator.resources(id))
    if (lower(r["id"].get<std::string>()) == lower(id)) return r;
  return nullptr;
}

CommandResult apply(const E2eBench& bench, int timeout = 120) {
  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", std::to_string(timeout)}, timeout + 30);
  INFO(r.err.substr(r.err.size() > 4000 ? r.err.size() - 4000 : 0));
  CHECK(r.exit_code == 0);
  return r;
}

}  // namespace

TEST_CASE("a compute whose provisioning ended Failed is deleted and created again - at --fault-rate 0.2 - in a bounded number of passes") {
  // The migrated estate, as a first run left it, with one compute whose provisioning ended Failed:
  // AML keeps it so, and a PUT over it answers 200 and changes nothing (emulator/README.md).
  json seed = json::parse(sample_seed_with_ample_quota());
  std::string failed_id;
  {
    EmulatorProcess first(seed.dump(), {"--lro-ms", "50"});
    E2eBench bench(first);
    REQUIRE(apply(bench).exit_code == 0);
    for (auto r : first.resources(kAmlRg)) {
      // Its jobs have ended (the emulator never runs them): a compute with active jobs waits for them.
      if (lower(r["id"].get<std::string>()).find("/jobs/") != std::string::npos) r["properties"]["status"] = "Completed";
      if (failed_id.empty() && lower(r["id"].get<std::string>()).find("/computes/") != std::string::npos) {
        failed_id = r["id"].get<std::string>();
        r["properties"]["provisioningState"] = "Failed";
        r["properties"]["provisioningErrors"] =
            json::array({{{"error", {{"code", "AllocationFailed"}, {"message", "no capacity for the VM size"}}}}});
      }
      seed["resources"].push_back(r);
    }
  }
  REQUIRE_FALSE(failed_id.empty());

  EmulatorProcess emulator(seed.dump(), {"--lro-ms", "100", "--fault-rate", "0.2", "--fault-seed", "13"});
  E2eBench bench(emulator);
  apply(bench, 150);
  const auto st = bench.status();
  CHECK(st["resources"]["pending"] == 0);
  CHECK(st["resources"]["failed"] == 0);
  CHECK(st["cycle"]["number"].get<int>() <= 30);  // bounded: recoveries back off 2, 4, 8 s at most 5 times
  const auto now = resource(emulator, failed_id);
  REQUIRE(now.is_object());
  CHECK(now["properties"]["provisioningState"] == "Succeeded");
  CHECK(emulator.stats()["requests"].value("DELETE", 0) >= 1);  // it was deleted, then created again
  CHECK_SAME_IDS(aml_resource_ids(emulator), desired_ids(bench));
}

TEST_CASE("quota as AML enforces it: a compute beyond its maximum is created with a finding - one below its minimum is held") {
  json seed = json::parse(sample_seed_with_ample_quota());
  // NC family 20 vCPUs. NLP's gpu-manual (autoscale, min 1 x NC24 = 24 vCPUs): AML would refuse it.
  // vision's gpu-manual (manual scale, elastic: min 0, max 4 x NC6 = 24 vCPUs): AML creates it; it
  // can reach 3 nodes.
  seed["quotas"]["eastus"]["standardNCFamily"] = 20;
  EmulatorProcess emulator(seed.dump(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  apply(bench);
  const auto rep = report(bench);

  const auto held = entry(rep, "NLP_Workspace/clusters/gpu-manual");
  REQUIRE(held.is_object());
  const auto refused = finding(held, "quota-insufficient");
  REQUIRE(refused.is_object());
  CHECK(refused["message"].get<std::string>().find("cannot accommodate for at least 1 node of") != std::string::npos);
  const auto held_compute = aml_of(held, "compute");
  REQUIRE(held_compute.is_object());
  CHECK(held_compute["state"] == "blocked");
  CHECK(resource(emulator, held_compute["id"]).is_null());

  const auto created = entry(rep, "vision-ws/clusters/gpu-manual");
  REQUIRE(created.is_object());
  const auto warning = finding(created, "quota-max-exceeded");
  REQUIRE(warning.is_object());
  CHECK(warning["severity"] == "warning");
  CHECK(warning["message"].get<std::string>().find("can scale to 3 of its 4 nodes") != std::string::npos);
  const auto compute = aml_of(created, "compute");
  REQUIRE(compute.is_object());
  CHECK(compute["state"] == "in_sync");
  CHECK(resource(emulator, compute["id"]).is_object());
}

TEST_CASE("a foreign workspace whose LISTs fail is an unobserved scope - everything else is migrated - a finding names it") {
  json seed = json::parse(sample_seed_with_ample_quota());
  const std::string foreign = kAmlRg + "providers/Microsoft.MachineLearningServices/workspaces/someone-elses";
  seed["resources"].push_back({{"id", foreign},
                               {"name", "someone-elses"},
                               {"type", "Microsoft.MachineLearningServices/workspaces"},
                               {"location", "eastus"},
                               {"tags", {{"team", "other"}}},
                               {"properties", {{"friendlyName", "not ours"}, {"provisioningState", "Succeeded"}}}});
  // Something of ours inside it that is not desired: with prune on, it would be deleted if seen.
  const std::string stray = foreign + "/datastores/leftover";
  seed["resources"].push_back({{"id", stray},
                               {"name", "leftover"},
                               {"type", "Microsoft.MachineLearningServices/workspaces/datastores"},
                               {"properties",
                                {{"datastoreType", "AzureBlob"},
                                 {"accountName", "st"},
                                 {"containerName", "c"},
                                 {"credentials", {{"credentialsType", "None"}}},
                                 {"tags", {{"managed-by", "bai2aml"}}}}}});
  EmulatorProcess emulator(seed.dump(), {"--lro-ms", "100"});
  emulator.set_failures(json::array({{{"path_prefix", foreign + "/"},
                                      {"status", 403},
                                      {"code", "AuthorizationFailed"},
                                      {"message", "The client does not have authorization over this workspace."}}}));
  E2eBench bench(emulator);
  apply(bench);

  auto live = aml_resource_ids(emulator);
  live.erase(std::remove_if(live.begin(), live.end(),
                            [&](const std::string& id) { return lower(id).rfind(lower(foreign), 0) == 0; }),
             live.end());
  CHECK_SAME_IDS(live, desired_ids(bench));  // everything else was migrated
  CHECK(resource(emulator, stray).is_object());  // nothing in the unobserved scope was deleted
  const auto unobserved = entry(report(bench), "workspaces/someone-elses");
  const auto f = finding(unobserved, "scope-unobserved");
  REQUIRE(f.is_object());
  // An AML workspace that could not be listed: not a Batch AI resource that left the source.
  CHECK(unobserved["outcome"] == "aml-scope");
  CHECK(unobserved["kind"] == "AML scope");
  CHECK(unobserved["detail"].get<std::string>().find("could not observe") != std::string::npos);
  CHECK(f["message"].get<std::string>().find("someone-elses") != std::string::npos);
  CHECK(f["message"].get<std::string>().find("AuthorizationFailed") != std::string::npos);
}
