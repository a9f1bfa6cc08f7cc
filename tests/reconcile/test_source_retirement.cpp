// policy.retire_source, pure: which Batch AI writes a pass may send, and what the snapshot keeps.
#include <catch2/catch.hpp>

#include <algorithm>

#include "reconcile/arm_id.hpp"
#include "reconcile/source_retirement.hpp"

namespace bai2aml::reconcile {
namespace {

using nlohmann::json;
using translate::Kind;

const std::string kBai = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/w";
const std::string kCluster = kBai + "/clusters/c1";
const std::string kJob = kBai + "/experiments/e/jobs/j1";
const std::string kAml = "/subscriptions/t/resourceGroups/rg-aml/providers/Microsoft.MachineLearningServices/workspaces/w";
const std::string kCompute = kAml + "/computes/c1";
const std::string kAmlJob = kAml + "/jobs/j1";

json workspace() { return {{"id", kBai}, {"location", "eastus"}, {"properties", {{"provisioningState", "succeeded"}}}}; }
json cluster(const std::string& state = "succeeded") {
  return {{"id", kCluster},
          {"properties",
           {{"vmSize", "STANDARD_NC6"},
            {"provisioningState", state},
            {"scaleSettings", {{"manual", {{"targetNodeCount", 1}}}}}}}};
}
json job(const std::string& state, const std::string& id = kJob) {
  return {{"id", id},
          {"properties",
           {{"cluster", {{"id", kCluster}}},
            {"nodeCount", 1},
            {"customToolkitSettings", {{"commandLine", "echo hi"}}},
            {"executionState", state}}}};
}
json file_server() {
  return {{"id", kBai + "/fileServers/nfs"}, {"properties", {{"vmSize", "STANDARD_D2"}, {"provisioningState", "succeeded"}}}};
}

translate::DesiredResource desired(Kind kind, const std::string& id, const std::string& source) {
  translate::DesiredResource d;
  d.kind = kind;
  d.id = id;
  d.source_id = source;
  return d;
}
// bai2aml's counterpart of `source` (tagged as issue 12 requires for a proven migration).
ObservedResource observed(Kind kind, const std::string& id, const std::string& state, const std::string& source) {
  const json tags = {{"managed-by", "bai2aml"}, {"bai2aml-source", source}};
  json body = {{"id", id}, {"properties", {{"provisioningState", state}}}};
  if (kind == Kind::Workspace || kind == Kind::Compute) body["tags"] = tags;
  else body["properties"]["tags"] = tags;
  return {kind, id, body};
}

struct Fixture {
  std::vector<translate::DesiredResource> desired_state{desired(Kind::Workspace, kAml, kBai),
                                                        desired(Kind::Compute, kCompute, kCluster),
                                                        desired(Kind::Job, kAmlJob, kJob)};
  std::vector<ObservedResource> observed_state{observed(Kind::Workspace, kAml, "Succeeded", kBai),
                                               observed(Kind::Compute, kCompute, "Succeeded", kCluster),
                                               observed(Kind::Job, kAmlJob, "Succeeded", kJob)};
  SourceRetirementInputs in(std::vector<json> live, config::RetireSource mode = config::RetireSource::AfterMigration) {
    SourceRetirementInputs i;
    i.mode = mode;
    i.source_live = true;
    i.live = std::move(live);
    i.desired = &desired_state;
    i.observed = &observed_state;
    i.submitted_sources.insert(id_key(kJob));  // the journal's
    return i;
  }
};

std::vector<std::string> summary(const SourceRetirementPlan& p) {
  std::vector<std::string> out;
  for (const auto& a : p.actions) out.push_back(std::string(to_string(a.kind)) + " " + a.method + " " + a.id);
  return out;
}

TEST_CASE_METHOD(Fixture, "retire_source: a migrated queued job is terminated first - its cluster waits", "[source_retirement]") {
  const auto plan = plan_source_retirement(in({workspace(), cluster(), job("queued")}));
  REQUIRE(summary(plan) == std::vector<std::string>{"terminate-source POST " + kJob});
  CHECK(plan.actions[0].post_action == "terminate");
  CHECK(plan.findings.empty());
}

TEST_CASE_METHOD(Fixture, "retire_source: a job whose AML job does not exist yet is left alone", "[source_retirement]") {
  observed_state.pop_back();
  const auto plan = plan_source_retirement(in({workspace(), cluster(), job("queued")}));
  CHECK(plan.actions.empty());
  REQUIRE(plan.findings.size() == 1);  // the cluster says why it stays
  CHECK(plan.findings[0].code == "source-retire-held");
  CHECK(plan.findings[0].source_id == kCluster);
}

TEST_CASE_METHOD(Fixture, "retire_source: the cluster goes once its jobs ended, then the workspace", "[source_retirement]") {
  SECTION("job terminated (failed): the cluster is deleted, the workspace waits for it") {
    const auto plan = plan_source_retirement(in({workspace(), cluster(), job("failed")}));
    CHECK(summary(plan) == std::vector<std::string>{"retire-source DELETE " + kCluster});
  }
  SECTION("a job bai2aml is terminating holds the cluster without a finding") {
    auto inputs = in({workspace(), cluster(), job("terminating")});
    inputs.terminated.insert(id_key(kJob));
    const auto plan = plan_source_retirement(inputs);
    CHECK(plan.actions.empty());
    CHECK(plan.findings.empty());
  }
  SECTION("a job someone else is terminating holds the cluster, with a finding") {
    const auto plan = plan_source_retirement(in({workspace(), cluster(), job("terminating")}));
    CHECK(plan.actions.empty());
    REQUIRE(plan.findings.size() == 1);
    CHECK(plan.findings[0].message.find("terminating Batch AI job") != std::string::npos);
  }
  SECTION("cluster gone: the workspace is deleted") {
    const auto plan = plan_source_retirement(in({workspace(), job("failed")}));
    CHECK(summary(plan) == std::vector<std::string>{"retire-source DELETE " + kBai});
  }
  SECTION("a cluster already being deleted is not deleted again") {
    const auto plan = plan_source_retirement(in({workspace(), cluster("deleting"), job("failed")}));
    CHECK(plan.actions.empty());
  }
}

TEST_CASE_METHOD(Fixture, "retire_source: a running job that was not migrated holds its cluster, with a finding",
                 "[source_retirement]") {
  desired_state.pop_back();
  observed_state.pop_back();
  const auto plan = plan_source_retirement(in({workspace(), cluster(), job("running")}));
  CHECK(plan.actions.empty());
  REQUIRE(plan.findings.size() == 1);
  CHECK(plan.findings[0].message.find("running Batch AI job") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "retire_source: the compute must be Succeeded", "[source_retirement]") {
  observed_state[1] = observed(Kind::Compute, kCompute, "Creating", kCluster);
  const auto plan = plan_source_retirement(in({workspace(), cluster(), job("failed")}));
  CHECK(plan.actions.empty());
  CHECK(plan.findings.empty());  // still converging: nothing to say
}

TEST_CASE_METHOD(Fixture, "retire_source: a file server holds its workspace and is never deleted", "[source_retirement]") {
  const auto plan = plan_source_retirement(in({workspace(), file_server(), job("succeeded")}));
  CHECK(plan.actions.empty());
  REQUIRE(plan.findings.size() == 1);
  CHECK(plan.findings[0].source_id == kBai);
  CHECK(plan.findings[0].remedy.find("delete the file server") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "retire_source: never, at_cutoff before the cutoff, and a snapshot send nothing",
                 "[source_retirement]") {
  const std::vector<json> live{workspace(), cluster(), job("queued")};
  CHECK(plan_source_retirement(in(live, config::RetireSource::Never)).actions.empty());
  auto before = in(live, config::RetireSource::AtCutoff);
  CHECK(plan_source_retirement(before).actions.empty());
  before.cutoff_passed = true;
  CHECK(plan_source_retirement(before).actions.size() == 1);
  auto snapshot = in(live);
  snapshot.source_live = false;
  CHECK(plan_source_retirement(snapshot).actions.empty());
}

TEST_CASE("retain_retired keeps what bai2aml deleted or terminated, and nothing else", "[source_retirement]") {
  const std::vector<json> stored{workspace(), cluster(), job("queued"), job("succeeded", kBai + "/experiments/e/jobs/old")};
  SECTION("nothing retired: the read is the snapshot") {
    const auto kept = retain_retired({workspace()}, stored, {}, {});
    CHECK(kept.size() == 1);
  }
  SECTION("a deleted cluster stays as stored; a cluster deleted by someone else does not") {
    auto upper = kCluster;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);  // ids compare case-insensitively
    const auto kept = retain_retired({workspace(), job("failed")}, stored, {upper}, {kJob});
    REQUIRE(kept.size() == 3);
    CHECK(kept[1]["properties"]["executionState"] == "queued");  // the terminated job keeps its migrated body
    CHECK(kept[2]["id"] == kCluster);
    CHECK(retain_retired({workspace()}, stored, {}, {kJob}).size() == 1);
  }
  SECTION("a deleted workspace keeps everything under it") {
    const auto kept = retain_retired({}, stored, {kBai}, {});
    CHECK(kept.size() == stored.size());
  }
}

}  // namespace
TEST_CASE_METHOD(Fixture, "retire_source: only a proven migration retires anything (issue 12)", "[source_retirement]") {
  auto& aml_job = observed_state[2].body;
  SECTION("the AML job is not bai2aml's") {
    aml_job["properties"]["tags"] = json::object();
  }
  SECTION("the AML job is another Batch AI job's counterpart") {
    aml_job["properties"]["tags"]["bai2aml-source"] = kBai + "/experiments/e/jobs/other";
  }
  SECTION("the AML job belongs to another instance (source outside this config's)") {
    aml_job["properties"]["tags"]["bai2aml-source"] =
        "/subscriptions/s/resourceGroups/elsewhere/providers/Microsoft.BatchAI/workspaces/w/experiments/e/jobs/j1";
  }
  SECTION("the AML job Failed") {
    aml_job["properties"]["status"] = "Failed";
  }
  SECTION("the AML job was Canceled") {
    aml_job["properties"]["status"] = "Canceled";
  }
  SECTION("the journal does not record the submission") {
    auto inputs = in({workspace(), cluster(), job("queued")});
    inputs.submitted_sources.clear();
    const auto plan = plan_source_retirement(inputs);
    CHECK(plan.actions.empty());
    return;
  }
  auto inputs = in({workspace(), cluster(), job("queued")});
  inputs.scope = {"s", {"rg"}};
  const auto plan = plan_source_retirement(inputs);
  CHECK(plan.actions.empty());  // the Batch AI job keeps running: it is the only copy that may
  bool said = false;
  for (const auto& f : plan.findings) said = said || (f.source_id == kJob && f.code == "source-retire-held");
  CHECK(said);
}

TEST_CASE_METHOD(Fixture, "retire_source: a cluster whose compute is not bai2aml's stays", "[source_retirement]") {
  observed_state[1].body["tags"] = json::object();
  const auto plan = plan_source_retirement(in({workspace(), cluster(), job("failed")}));
  CHECK(plan.actions.empty());
  REQUIRE(plan.findings.size() == 1);
  CHECK(plan.findings[0].source_id == kCluster);
}

}  // namespace bai2aml::reconcile
