// Issue 12, the pure parts: ownership scope, name hints, the diff's identity and deletion rules, the
// prune guard.
#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/diff.hpp"
#include "reconcile/identity.hpp"
#include "reconcile/prune_guard.hpp"

using namespace bai2aml;
using namespace bai2aml::reconcile;
using namespace bai2aml::reconcile::fixtures;
using translate::Kind;

namespace {

const Action* find_action(const Plan& plan, const std::string& id) {
  const auto it = std::find_if(plan.actions.begin(), plan.actions.end(),
                               [&](const Action& a) { return id_key(a.id) == id_key(id); });
  return it == plan.actions.end() ? nullptr : &*it;
}

bool has_finding(const Plan& plan, const std::string& code) {
  return std::any_of(plan.findings.begin(), plan.findings.end(),
                     [&](const translate::Finding& f) { return f.code == code; });
}

json with_source(Kind kind, json body, const std::string& source) {
  (kind == Kind::Workspace || kind == Kind::Compute ? body["tags"] : body["properties"]["tags"]) = owned_tags(source);
  return body;
}

DiffInputs pruning(SourceScope scope = {}) {
  DiffInputs in;
  in.policy.prune = true;
  in.scope = std::move(scope);
  return in;
}

json resource(const std::string& id) { return {{"id", id}, {"properties", json::object()}}; }

}  // namespace

TEST_CASE("ownership is scoped to this config's source subscription and resource groups") {
  const SourceScope scope{"S", {"rg", "RG2"}};
  CHECK(in_scope(scope, kSource));
  CHECK(in_scope(scope, "/subscriptions/s/resourceGroups/rg2/providers/Microsoft.BatchAI/workspaces/x/clusters/c"));
  CHECK_FALSE(in_scope(scope, "/subscriptions/s/resourceGroups/other/providers/Microsoft.BatchAI/workspaces/x"));
  CHECK_FALSE(in_scope(scope, "/subscriptions/t/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/x"));
  CHECK_FALSE(in_scope(scope, ""));
  CHECK(in_scope(SourceScope{"s", {}}, "/subscriptions/S/resourceGroups/any/providers/Microsoft.BatchAI/workspaces/x"));

  const auto mine = observed(Kind::Compute, kCompute, desired_compute_body());
  const auto theirs = observed(Kind::Compute, kCompute, with_source(Kind::Compute, desired_compute_body(),
      "/subscriptions/s/resourceGroups/other/providers/Microsoft.BatchAI/workspaces/x/clusters/c1"));
  CHECK(owned_here(mine, scope));
  CHECK_FALSE(owned_here(theirs, scope));
  CHECK(owned_elsewhere(theirs, scope));
  CHECK_FALSE(owned_elsewhere(observed(Kind::Compute, kCompute, unowned(Kind::Compute, desired_compute_body())), scope));
}

TEST_CASE("name hints: the names this instance's sources exist under, and the names others hold") {
  const std::string other = "/subscriptions/s/resourceGroups/other/providers/Microsoft.BatchAI/workspaces/x/clusters/c9";
  const std::vector<ObservedResource> live = {
      observed(Kind::Compute, kCompute, desired_compute_body()),  // source kSource/clusters/c1
      observed(Kind::Compute, kWs + "/computes/theirs", with_source(Kind::Compute, desired_compute_body(), other)),
      observed(Kind::Job, kJob, desired_job_body()),
      observed(Kind::Datastore, kDatastore, desired_datastore_body()),  // shared kinds name nobody
      observed(Kind::Compute, kWs + "/computes/untagged", unowned(Kind::Compute, desired_compute_body()))};
  const auto hints = name_hints(live, SourceScope{"s", {"rg"}});
  CHECK(hints.computes.at(id_key(kSource + "/clusters/c1")) == std::set<std::string>{"gpu-cluster"});
  CHECK(hints.computes.count(id_key(other)) == 0);  // another instance's: not kept, but taken
  CHECK(hints.taken_computes.at("theirs") == std::set<std::string>{id_key(other)});
  CHECK(hints.taken_computes.count("untagged") == 0);  // policy.adopt's business
  CHECK(hints.jobs.at(id_key(kSource + "/jobs/j")) == std::set<std::string>{"job-1"});
  CHECK(hints.taken_jobs.count("ws1/job-1") == 1);
  CHECK(hints.taken_workspaces.empty());
}

TEST_CASE("diff: an owned resource is the counterpart only when its bai2aml-source matches") {
  SECTION("a job at the desired name tagged with another Batch AI job: blocked, never in sync") {
    auto d = desired(Kind::Job, kJob, desired_job_body());
    d.source_id = kSource + "/experiments/e2/jobs/j";             // a new job derived the same name
    const auto o = observed(Kind::Job, kJob, desired_job_body());  // tagged kSource/jobs/j
    const Plan plan = diff({d}, {o}, DiffInputs{});
    CHECK(find_action(plan, kJob)->kind == ActionKind::Blocked);
    CHECK(has_finding(plan, "source-mismatch"));
  }
  SECTION("a compute tagged with another cluster is not updated") {
    auto body = desired_compute_body();
    auto d = desired(Kind::Compute, kCompute, body);
    d.source_id = kSource + "/clusters/c2";
    body["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = 99;
    const Plan plan = diff({d}, {observed(Kind::Compute, kCompute, desired_compute_body())}, DiffInputs{});
    CHECK(find_action(plan, kCompute)->kind == ActionKind::Blocked);
  }
  SECTION("datastores and environments are shared: their tag is no identity") {
    auto d = desired(Kind::Datastore, kDatastore, desired_datastore_body());
    d.source_id = kSource + "/clusters/c7";
    const Plan plan = diff({d}, {observed(Kind::Datastore, kDatastore, desired_datastore_body())}, DiffInputs{});
    CHECK_FALSE(has_finding(plan, "source-mismatch"));
  }
}

TEST_CASE("diff: a job counts as submitted by its Batch AI id") {
  auto d = desired(Kind::Job, kJob, desired_job_body());
  d.source_id = kSource + "/jobs/j";
  SECTION("journalled under another name: never submitted again") {
    DiffInputs in;
    in.submitted_sources.insert(id_key(d.source_id));
    const Plan plan = diff({d}, {}, in);
    CHECK(find_action(plan, kJob)->kind == ActionKind::Blocked);
    CHECK(has_finding(plan, "job-not-resubmitted"));
  }
  SECTION("listed in AML under another name with its source tag: not submitted again") {
    const Plan plan = diff({d}, {observed(Kind::Job, kWs + "/jobs/job-1-old", desired_job_body())}, DiffInputs{});
    CHECK(find_action(plan, kJob)->kind == ActionKind::Noop);
    CHECK(has_finding(plan, "job-submitted-elsewhere"));
  }
  SECTION("neither: created") {
    CHECK(find_action(diff({d}, {}, DiffInputs{}), kJob)->kind == ActionKind::Create);
  }
}

TEST_CASE("diff: another instance's resources are never updated, adopted or pruned") {
  const std::string other = "/subscriptions/s/resourceGroups/other/providers/Microsoft.BatchAI/workspaces/x/clusters/c1";
  const auto theirs = observed(Kind::Compute, kCompute, with_source(Kind::Compute, desired_compute_body(), other));
  SECTION("not desired here: left alone") {
    const Plan plan = diff({}, {theirs}, pruning(SourceScope{"s", {"rg"}}));
    CHECK(find_action(plan, kCompute) == nullptr);
  }
  SECTION("at a desired id, even with policy.adopt: a conflict") {
    auto in = pruning(SourceScope{"s", {"rg"}});
    in.policy.adopt = true;
    const Plan plan = diff({desired(Kind::Compute, kCompute, desired_compute_body())}, {theirs}, in);
    CHECK(find_action(plan, kCompute)->kind == ActionKind::Blocked);
    CHECK(has_finding(plan, "unowned-conflict"));
  }
}

TEST_CASE("diff: a workspace is never pruned, nor what a job that has not ended uses") {
  const std::vector<ObservedResource> live = {
      observed(Kind::Workspace, kWs, desired_workspace_body()),
      observed(Kind::Datastore, kDatastore, desired_datastore_body()),
      observed(Kind::EnvironmentContainer, kEnv, desired_environment_body()),
      observed(Kind::EnvironmentVersion, kEnvVersion, desired_environment_version_body())};
  SECTION("no job: children retire, the workspace stays with a finding") {
    const Plan plan = diff({}, live, pruning());
    CHECK(find_action(plan, kWs)->kind == ActionKind::Noop);
    CHECK(has_finding(plan, "workspace-kept"));
    CHECK(find_action(plan, kDatastore)->kind == ActionKind::Retire);
    CHECK(find_action(plan, kEnv)->kind == ActionKind::Retire);
  }
  SECTION("a queued job uses the environment version and a datastore") {
    auto job_body = desired_job_body();
    job_body["properties"]["inputs"]["data"] = {{"jobInputType", "uri_folder"},
                                                {"uri", "azureml://datastores/share1/paths/x"}};
    auto with_job = live;
    with_job.push_back(observed(Kind::Job, kJob, job_body));
    with_job.back().body["properties"]["status"] = "Queued";
    const Plan plan = diff({}, with_job, pruning());
    CHECK(find_action(plan, kDatastore)->kind == ActionKind::Blocked);
    CHECK(find_action(plan, kEnvVersion)->kind == ActionKind::Blocked);
    CHECK(find_action(plan, kEnv)->kind == ActionKind::Blocked);
    with_job.back().body["properties"]["status"] = "Completed";
    const Plan done = diff({}, with_job, pruning());
    CHECK(find_action(done, kDatastore)->kind == ActionKind::Retire);
    CHECK(find_action(done, kEnvVersion)->kind == ActionKind::Retire);
  }
  SECTION("an environment holding a version a person added is kept") {
    auto with_theirs = live;
    with_theirs.push_back(observed(Kind::EnvironmentVersion, kEnv + "/versions/2",
                                   unowned(Kind::EnvironmentVersion, desired_environment_version_body())));
    const Plan plan = diff({}, with_theirs, pruning());
    CHECK(find_action(plan, kEnv)->kind == ActionKind::Blocked);
    CHECK(find_action(plan, kEnvVersion)->kind == ActionKind::Retire);
  }
}

TEST_CASE("prune guard: two reads agree before anything is released") {
  const std::vector<json> stored = {resource("/a"), resource("/a/b"), resource("/c"), resource("/d"), resource("/e"),
                                    resource("/f"), resource("/g"), resource("/h"), resource("/i"), resource("/j"),
                                    resource("/k")};
  auto read = stored;
  read.erase(read.begin() + 2);  // "/c" vanishes: 1 of 11, no mass disappearance
  PruneGuardInputs first{read, stored, {}, false, "/subscriptions/s"};
  const auto r1 = guard_vanished(first);
  CHECK(r1.inventory.size() == stored.size());  // kept
  REQUIRE(r1.ledger.size() == 1);
  CHECK(r1.ledger[0].absent_reads == 1);
  CHECK(r1.awaiting_second_read == 1);
  CHECK(r1.findings.empty());

  const auto r2 = guard_vanished({read, r1.inventory, r1.ledger, false, "/subscriptions/s"});
  CHECK(r2.inventory.size() == read.size());  // released
  CHECK(r2.ledger.empty());
  CHECK(r2.awaiting_second_read == 0);

  SECTION("it came back") {
    const auto back = guard_vanished({stored, r1.inventory, r1.ledger, false, ""});
    CHECK(back.ledger.empty());
    CHECK(back.inventory.size() == stored.size());
  }
  SECTION("after the cutoff nothing is released") {
    const auto late = guard_vanished({read, r1.inventory, r1.ledger, true, ""});
    CHECK(late.inventory.size() == stored.size());
    CHECK(late.findings.size() == 1);
    CHECK(late.findings[0].code == "source-vanished-after-cutoff");
  }
}

TEST_CASE("prune guard: a mass disappearance is held until confirmed") {
  std::vector<json> stored;
  for (int i = 0; i < 40; ++i) stored.push_back(resource("/r" + std::to_string(i)));
  SECTION("more than 5 resources") {
    const std::vector<json> read(stored.begin() + 6, stored.end());  // 6 of 40 (15 %)
    auto r = guard_vanished({read, stored, {}, false, "/subscriptions/s"});
    CHECK(r.held == 6);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].code == "prune-held");
    CHECK(r.findings[0].severity == translate::Severity::Error);
    CHECK(r.findings[0].message.find("6 Batch AI resources") != std::string::npos);
    r = guard_vanished({read, r.inventory, r.ledger, false, ""});
    CHECK(r.inventory.size() == stored.size());  // still held on the second read
    CHECK(r.held == 6);
    for (auto& v : r.ledger) v.confirmed = true;  // bai2aml prune --confirm
    r = guard_vanished({read, r.inventory, r.ledger, false, ""});
    CHECK(r.inventory.size() == read.size());
    CHECK(r.findings.empty());
  }
  SECTION("more than 10 % of a small inventory") {
    const std::vector<json> small(stored.begin(), stored.begin() + 9);
    const std::vector<json> read(small.begin() + 1, small.end());  // 1 of 9
    CHECK(guard_vanished({read, small, {}, false, ""}).held == 1);
  }
  SECTION("a few out of many: not held") {
    const std::vector<json> read(stored.begin() + 2, stored.end());  // 2 of 40
    CHECK(guard_vanished({read, stored, {}, false, ""}).held == 0);
  }
  SECTION("the stored resources the read has may be counted instead of passed (what the pass does)") {
    const std::vector<json> small(stored.begin(), stored.begin() + 9);
    const std::vector<json> read(small.begin() + 1, small.end());  // 1 of 9: held
    CHECK(guard_vanished({read, {small[0]}, {}, false, "", 8}).held == 1);
    const std::vector<json> big_read(stored.begin() + 2, stored.end());  // 2 of 40: not held
    const auto r = guard_vanished({big_read, {stored[0], stored[1]}, {}, false, "", 38});
    CHECK(r.held == 0);
    CHECK(r.awaiting_second_read == 2);
    CHECK(r.inventory.size() == stored.size());
  }
}
