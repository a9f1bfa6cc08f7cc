// The policies, end to end: bai2aml apply against the emulator after hand edits in the "portal"
// (the emulator's admin API): drift, unowned resources, adoption, prune, replacement, the quota hold
// and each policy.retire_source mode.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;
using nlohmann::json;

namespace {

const std::string kSourceSub = "/subscriptions/00000000-0000-0000-0000-000000000001/";
const std::string kAmlRg = "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-migrated/";

const json& entry(const json& rep, const std::string& source_suffix) {
  for (const auto& e : rep["resources"])
    if (ends_with_ci(e["source_id"].get<std::string>(), source_suffix)) return e;
  FAIL("no report entry for " << source_suffix);
  throw std::logic_error("unreachable");
}

std::string counterpart(const json& rep, const std::string& source_suffix, const std::string& kind) {
  for (const auto& a : entry(rep, source_suffix)["aml"])
    if (a["kind"] == kind) return a["id"].get<std::string>();
  FAIL("no " << kind << " for " << source_suffix);
  return "";
}

bool has_finding(const json& rep, const std::string& source_suffix, const std::string& code) {
  for (const auto& f : entry(rep, source_suffix)["findings"])
    if (f["code"] == code) return true;
  return false;
}

// The resource with exactly this id (any case), or null.
json resource(const EmulatorProcess& emulator, const std::string& id) {
  for (const auto& r : emulator.resources(id))
    if (lower(r["id"].get<std::string>()) == lower(id)) return r;
  return nullptr;
}

json apply(const E2eBench& bench, int timeout = 120) {
  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", std::to_string(timeout)});
  INFO(r.err.substr(r.err.size() > 4000 ? r.err.size() - 4000 : 0));
  REQUIRE(r.exit_code == 0);
  return bench.status();
}

void set_policy(const E2eBench& bench, const std::string& key, const json& value) {
  auto cfg = bench.config_json();
  cfg["policy"][key] = value;
  bench.write_config(cfg);
}

json& scale_settings(json& compute) { return compute["properties"]["properties"]["scaleSettings"]; }
json scale_of(const json& compute) { return compute.at("properties").at("properties").at("scaleSettings"); }

const std::string kIdleCluster = "/workspaces/NLP_Workspace/clusters/Transformer_Training_Cluster_2018";

// The AML jobs on a compute end (the emulator never runs them): a compute with an active job is
// never deleted, neither to prune nor to replace it.
void finish_jobs_on(const EmulatorProcess& emulator, const std::string& compute_id) {
  for (auto job : emulator.resources(kAmlRg))
    if (lower(job["properties"].value("computeId", "")) == lower(compute_id)) {
      job["properties"]["status"] = "Completed";
      emulator.put_resource(job);
    }
}

}  // namespace

TEST_CASE("drift: an owned compute edited by hand is restored (correct) or only reported (report)") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  apply(bench);
  const auto compute_id = counterpart(report(bench), kIdleCluster, "compute");
  auto compute = resource(emulator, compute_id);
  REQUIRE(compute.is_object());
  const int max_nodes = scale_settings(compute)["maxNodeCount"].get<int>();
  scale_settings(compute)["maxNodeCount"] = max_nodes + 7;
  emulator.put_resource(compute);

  SECTION("correct (the default)") {
    emulator.reset_stats();
    apply(bench);
    CHECK(emulator.stats()["requests"].value("PATCH", 0) + emulator.stats()["requests"].value("PUT", 0) == 1);
    CHECK(scale_of(resource(emulator, compute_id))["maxNodeCount"] == max_nodes);  // restored
  }
  SECTION("report") {
    set_policy(bench, "drift", "report");
    emulator.reset_stats();
    apply(bench);
    CHECK(write_requests(emulator) == 0);
    CHECK(scale_of(resource(emulator, compute_id))["maxNodeCount"] == max_nodes + 7);
    CHECK(has_finding(report(bench), kIdleCluster, "drift-detected"));
  }
}

TEST_CASE("unowned resources are never written - policy.adopt takes over the one with the desired name") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  apply(bench);
  const auto compute_id = counterpart(report(bench), kIdleCluster, "compute");
  // Someone strips bai2aml's tags from a migrated compute, and adds a compute of their own.
  auto stripped = resource(emulator, compute_id);
  stripped["tags"] = json::object();
  emulator.put_resource(stripped);
  auto theirs = stripped;
  const std::string their_id = compute_id.substr(0, compute_id.rfind('/') + 1) + "team-gpu";
  theirs["id"] = their_id;
  theirs["name"] = "team-gpu";
  scale_settings(theirs)["maxNodeCount"] = 1;
  emulator.put_resource(theirs);

  SECTION("policy.adopt false (the default): both are left untouched") {
    emulator.reset_stats();
    apply(bench);
    CHECK(write_requests(emulator) == 0);
    CHECK(resource(emulator, compute_id)["tags"] == json::object());
    CHECK(has_finding(report(bench), kIdleCluster, "unowned-conflict"));
    CHECK(resource(emulator, their_id)["tags"] == theirs["tags"]);
    CHECK(bench.status()["resources"]["blocked"].get<int>() >= 1);
  }
  SECTION("policy.adopt true: the compute with the desired name is tagged again; the other stays theirs") {
    set_policy(bench, "adopt", true);
    emulator.reset_stats();
    apply(bench);
    CHECK(write_requests(emulator) == 1);
    CHECK(resource(emulator, compute_id)["tags"].value("managed-by", "") == "bai2aml");
    CHECK(has_finding(report(bench), kIdleCluster, "adopted"));
    const auto still_theirs = resource(emulator, their_id);
    CHECK(still_theirs["tags"] == theirs["tags"]);
    CHECK(scale_of(still_theirs)["maxNodeCount"] == 1);
  }
}

TEST_CASE("an unowned workspace with the desired name becomes the parent and is never modified") {
  // The team pre-created the AML workspace the NLP workspace maps to.
  json seed = json::parse(sample_seed_with_ample_quota());
  std::string ws_id;
  {
    EmulatorProcess probe(seed.dump());
    E2eBench bench(probe);
    auto r = bench.bai2aml({"plan", "--config", bench.config_path(), "--json"});
    REQUIRE(r.exit_code == 0);
    const auto plan = json::parse(r.out);
    for (const auto& a : plan["actions"])
      if (a["kind"] == "workspace" && a["id"].get<std::string>().find("NLP") != std::string::npos)
        ws_id = a["id"].get<std::string>();
  }
  REQUIRE_FALSE(ws_id.empty());  // plan --json names the AML workspace
  const json theirs = {{"id", ws_id},
                       {"name", ws_id.substr(ws_id.rfind('/') + 1)},
                       {"type", "Microsoft.MachineLearningServices/workspaces"},
                       {"location", "eastus"},
                       {"tags", {{"team", "nlp"}}},
                       {"properties", {{"friendlyName", "NLP (team-owned)"}, {"provisioningState", "Succeeded"}}}};
  seed["resources"].push_back(theirs);
  EmulatorProcess emulator(seed.dump(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  apply(bench);
  const auto now = resource(emulator, ws_id);
  CHECK(now["tags"] == theirs["tags"]);
  CHECK(now["properties"]["friendlyName"] == "NLP (team-owned)");
  const auto compute_id = counterpart(report(bench), kIdleCluster, "compute");
  CHECK(lower(compute_id).rfind(lower(ws_id) + "/", 0) == 0);
  CHECK(resource(emulator, compute_id).is_object());
}

TEST_CASE("prune: a compute whose Batch AI cluster is gone is deleted only with policy.prune") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  apply(bench);
  const auto rep = report(bench);
  const auto compute_id = counterpart(rep, kIdleCluster, "compute");
  emulator.delete_resource(entry(rep, kIdleCluster)["source_id"].get<std::string>());

  SECTION("prune true (the default), but the compute still has a job: it stays, with a finding") {
    apply(bench);
    CHECK(resource(emulator, compute_id).is_object());
    CHECK(has_finding(report(bench), kIdleCluster, "retire-blocked"));
  }
  SECTION("prune true (the default), once its jobs ended") {
    finish_jobs_on(emulator, compute_id);
    emulator.reset_stats();
    const auto st = apply(bench);
    CHECK(emulator.stats()["requests"].value("DELETE", 0) >= 1);
    CHECK(resource(emulator, compute_id).is_null());
    CHECK(st["resources"]["retired"].get<int>() >= 1);
  }
  SECTION("prune false") {
    set_policy(bench, "prune", false);
    emulator.reset_stats();
    apply(bench);
    CHECK(write_requests(emulator) == 0);
    CHECK(resource(emulator, compute_id).is_object());
  }
}

TEST_CASE("replacement: an immutable change needs policy.replace - otherwise it is a finding") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  apply(bench);
  const auto rep = report(bench);
  const auto compute_id = counterpart(rep, kIdleCluster, "compute");
  // The Batch AI cluster now says another VM size (as after a re-export of a changed cluster).
  auto cluster = resource(emulator, entry(rep, kIdleCluster)["source_id"].get<std::string>());
  const std::string old_size = resource(emulator, compute_id)["properties"]["properties"]["vmSize"];
  cluster["properties"]["vmSize"] = "STANDARD_D4_V2";
  emulator.put_resource(cluster);

  SECTION("replace false (the default)") {
    emulator.reset_stats();
    apply(bench);
    CHECK(write_requests(emulator) == 0);
    CHECK(resource(emulator, compute_id)["properties"]["properties"]["vmSize"] == old_size);
    CHECK(has_finding(report(bench), kIdleCluster, "replacement-required"));
  }
  SECTION("replace true: deleted, then created with the new size") {
    set_policy(bench, "replace", true);
    finish_jobs_on(emulator, compute_id);
    emulator.reset_stats();
    apply(bench);
    CHECK(emulator.stats()["requests"].value("DELETE", 0) == 1);
    CHECK(emulator.stats()["requests"].value("PUT", 0) == 1);
    CHECK(lower(resource(emulator, compute_id)["properties"]["properties"]["vmSize"]) == "standard_d4_v2");
  }
}

TEST_CASE("quota: a compute the VM family's quota cannot hold is not created, with a finding") {
  EmulatorProcess emulator(sample_seed(), {"--lro-ms", "100"});  // the emulator's default quotas
  E2eBench bench(emulator);
  const auto st = apply(bench);
  CHECK(st["resources"]["blocked"].get<int>() >= 1);
  int held = 0;
  const auto rep = report(bench);
  for (const auto& e : rep["resources"])
    for (const auto& f : e["findings"])
      if (f["code"] == "quota-insufficient") {
        ++held;
        for (const auto& a : e["aml"])
          if (a["kind"] == "compute") {
            INFO(a["id"]);
            CHECK(a["state"] == "blocked");
            CHECK(resource(emulator, a["id"]).is_null());
          }
      }
  CHECK(held >= 1);
}

// ---- policy.retire_source ----------------------------------------------------------------------

namespace {

std::set<std::string> batchai_ids(const EmulatorProcess& emulator) {
  std::set<std::string> out;
  for (const auto& r : emulator.resources(kSourceSub)) out.insert(lower(r["id"].get<std::string>()));
  return out;
}

std::string execution_state(const EmulatorProcess& emulator, const std::string& id) {
  const auto r = resource(emulator, id);
  return r.is_null() ? "(gone)" : r["properties"].value("executionState", "");
}

}  // namespace

TEST_CASE("retire_source never (the default) sends nothing to Batch AI") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  const auto before = emulator.resources(kSourceSub);
  apply(bench);
  CHECK(emulator.resources(kSourceSub) == before);
}

TEST_CASE("retire_source after_migration: jobs terminated, then clusters and workspaces deleted - AML untouched") {
  // The NLP workspace's running and terminating jobs have ended, so all of it can go; the vision
  // workspace still runs a job that was not migrated, and keeps its file server.
  json seed = json::parse(sample_seed_with_ample_quota());
  for (auto& r : seed["resources"])
    if (r["id"].get<std::string>().find("/workspaces/NLP_Workspace/experiments/seq2seq/jobs/seq2seq-") != std::string::npos &&
        r["properties"]["executionState"] != "queued")
      r["properties"]["executionState"] = "succeeded";
  EmulatorProcess emulator(seed.dump(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  set_policy(bench, "retire_source", "after_migration");
  const auto source_before = batchai_ids(emulator);
  apply(bench);

  const auto rep = report(bench);
  int terminated = 0, deleted_clusters = 0, deleted_workspaces = 0;
  for (const auto& e : rep["resources"]) {
    const std::string id = e["source_id"];
    const bool migrated_job = e["kind"] == "job" && !e["aml"].empty();
    INFO(id);
    if (migrated_job) {
      // Migrated: its AML job exists, and it will not also run on Batch AI.
      CHECK(execution_state(emulator, id) != "queued");
      CHECK(execution_state(emulator, id) != "running");
      if (e.contains("batch_ai")) ++terminated;
    }
    if (e.contains("batch_ai") && e["batch_ai"]["retired"] == "deleted") {
      CHECK(e["batch_ai"]["state"] == "succeeded");
      CHECK(resource(emulator, id).is_null());
      if (e["kind"] == "cluster") ++deleted_clusters;
      if (e["kind"] == "workspace") ++deleted_workspaces;
    }
    // A cluster still on Batch AI says why.
    if (e["kind"] == "cluster" && resource(emulator, id).is_object()) {
      bool why = false;
      for (const auto& f : e["findings"]) why = why || f["code"] == "source-retire-held" || f["severity"] == "error";
      CHECK(why);
    }
  }
  CHECK(terminated >= 1);
  CHECK(deleted_clusters >= 1);
  CHECK(deleted_workspaces == 1);
  CHECK(resource(emulator, entry(rep, "/workspaces/NLP_Workspace")["source_id"]).is_null());
  // Its AML workspace, and everything in it, stays: the snapshot kept what was deleted.
  const auto nlp_ws = counterpart(rep, "/workspaces/NLP_Workspace", "workspace");
  CHECK(resource(emulator, nlp_ws).is_object());
  CHECK(emulator.resources(nlp_ws + "/").size() >= 5);
  // The vision workspace keeps its NFS file server, so it stays, and says why.
  CHECK(resource(emulator, entry(rep, "/workspaces/vision-ws")["source_id"]).is_object());
  CHECK(has_finding(rep, "/workspaces/vision-ws", "source-retire-held"));
  CHECK(batchai_ids(emulator).size() < source_before.size());
  const auto text = bench.bai2aml({"status", "--config", bench.config_path()});
  CHECK(text.out.find("retire_source after_migration: " + std::to_string(terminated) + " job(s) terminated, " +
                      std::to_string(deleted_clusters + deleted_workspaces)) != std::string::npos);

  // Retiring the source changed nothing in AML: every desired resource is still there, and the
  // next apply has nothing to do on either side.
  auto st = bench.status();
  CHECK(st["resources"]["retired"] == 0);
  CHECK(st["resources"]["pending"] == 0);
  emulator.reset_stats();
  apply(bench);
  CHECK(write_requests(emulator) == 0);
}

TEST_CASE("retire_source at_cutoff: nothing before the cutoff, the same retirement after it") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  set_policy(bench, "retire_source", "at_cutoff");  // the demo config's cutoff is in 2027
  const auto before = emulator.resources(kSourceSub);
  apply(bench);
  CHECK(emulator.resources(kSourceSub) == before);

  auto cfg = bench.config_json();
  cfg["cutoff"] = "2026-01-01T00:00:00Z";
  bench.write_config(cfg);
  emulator.reset_stats();
  apply(bench);
  CHECK(emulator.stats()["requests"].value("POST", 0) >= 1);   // jobs terminated
  CHECK(emulator.stats()["requests"].value("DELETE", 0) >= 1);  // clusters deleted
  CHECK(batchai_ids(emulator).size() < before.size());
}
