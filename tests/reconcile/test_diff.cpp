#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/body_hash.hpp"
#include "reconcile/diff.hpp"

using namespace bai2aml;
using namespace bai2aml::reconcile;
using namespace bai2aml::reconcile::fixtures;
using translate::Kind;

namespace {

const Action& action_for(const Plan& plan, const std::string& id) {
  const auto it = std::find_if(plan.actions.begin(), plan.actions.end(),
                               [&](const Action& a) { return id_key(a.id) == id_key(id); });
  REQUIRE(it != plan.actions.end());
  return *it;
}

bool has_finding(const Plan& plan, const std::string& code) {
  return std::any_of(plan.findings.begin(), plan.findings.end(),
                     [&](const translate::Finding& f) { return f.code == code; });
}

struct Case {
  Kind kind;
  std::string id;
  json body;
};

std::vector<Case> every_kind() {
  return {{Kind::Workspace, kWs, desired_workspace_body()},
          {Kind::Compute, kCompute, desired_compute_body()},
          {Kind::Datastore, kDatastore, desired_datastore_body()},
          {Kind::EnvironmentContainer, kEnv, desired_environment_body()},
          {Kind::EnvironmentVersion, kEnvVersion, desired_environment_version_body()},
          {Kind::Job, kJob, desired_job_body()}};
}

// The inputs of a resource that bai2aml wrote from exactly this body.
DiffInputs applied(const translate::DesiredResource& d, config::Policy policy = {}) {
  DiffInputs in;
  in.policy = policy;
  in.last_applied_hash[d.id] = body_hash(d.body);
  return in;
}

}  // namespace

TEST_CASE("a missing resource is created with the desired body - for every kind") {
  for (const auto& c : every_kind()) {
    INFO(kind_label(c.kind));
    const auto d = desired(c.kind, c.id, c.body, {kWs});
    const Plan plan = diff({d}, {}, DiffInputs{});
    REQUIRE(plan.actions.size() == 1);
    const Action& a = plan.actions[0];
    CHECK(a.kind == ActionKind::Create);
    CHECK(a.method == "PUT");
    CHECK(a.body == c.body);  // secret references stay; the executor resolves them
    CHECK(a.depends_on == std::vector<std::string>{kWs});
    CHECK(a.desired_hash == body_hash(c.body));
    CHECK(a.source_id == d.source_id);
    CHECK(plan.findings.empty());
  }
}

TEST_CASE("a converged resource is a noop for every kind - under every policy") {
  for (const auto& c : every_kind()) {
    for (const bool prune : {false, true}) {
      for (const auto drift : {config::DriftPolicy::Correct, config::DriftPolicy::Report}) {
        INFO(kind_label(c.kind) << " prune=" << prune << " drift=" << config::to_string(drift));
        config::Policy policy;
        policy.prune = prune;
        policy.drift = drift;
        policy.adopt = true;
        policy.replace = true;
        DiffInputs in;
        in.policy = policy;
        const Plan plan = diff({desired(c.kind, c.id, c.body)}, {observed(c.kind, c.id, c.body)}, in);
        REQUIRE(plan.actions.size() == 1);
        CHECK(plan.actions[0].kind == ActionKind::Noop);
        CHECK_FALSE(plan.actions[0].writes());
        CHECK(plan.findings.empty());
      }
    }
  }
}

TEST_CASE("compute: a scaleSettings change is a PATCH of scaleSettings only (ClusterUpdateParameters)") {
  json want = desired_compute_body();
  const auto before = desired(Kind::Compute, kCompute, want);
  want["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = 10;
  const auto d = desired(Kind::Compute, kCompute, want);
  const Plan plan = diff({d}, {observed(Kind::Compute, kCompute, before.body)}, applied(before));
  const Action& a = action_for(plan, kCompute);
  CHECK(a.kind == ActionKind::Update);
  CHECK(a.method == "PATCH");
  CHECK(a.body == json{{"properties", {{"properties", {{"scaleSettings", want["properties"]["properties"]["scaleSettings"]}}}}}});
  CHECK(a.reason.find("desired spec changed") != std::string::npos);
  CHECK(plan.findings.empty());
}

TEST_CASE("compute: a tag change needs a PUT that keeps tags added by others") {
  json want = desired_compute_body();
  const auto before = desired(Kind::Compute, kCompute, want);
  want["tags"]["purpose"] = "training";  // (a changed bai2aml-source is another resource: issue 12)
  const auto d = desired(Kind::Compute, kCompute, want);
  json live = before.body;
  live["tags"]["cost-center"] = "42";
  const Plan plan = diff({d}, {observed(Kind::Compute, kCompute, live)}, applied(before));
  const Action& a = action_for(plan, kCompute);
  CHECK(a.kind == ActionKind::Update);
  CHECK(a.method == "PUT");
  CHECK(a.body["tags"]["purpose"] == "training");
  CHECK(a.body["tags"]["cost-center"] == "42");
  CHECK(a.body["tags"]["managed-by"] == "bai2aml");
  CHECK(a.body["properties"] == want["properties"]);
}

TEST_CASE("compute: an immutable change is replaced only with policy.replace and no active jobs") {
  struct Row {
    std::string field;
    json value;
  };
  const std::vector<Row> immutable_changes = {
      {"vmSize", "Standard_NC12"},
      {"vmPriority", "LowPriority"},
      {"subnet", {{"id", kRg + "/providers/Microsoft.Network/virtualNetworks/vn/subnets/other"}}},
      {"remoteLoginPortPublicAccess", "Disabled"},
      {"userAccountCredentials", {{"adminUserName", "other"}}},
  };
  for (const auto& row : immutable_changes) {
    INFO(row.field);
    const auto d = desired(Kind::Compute, kCompute, desired_compute_body());
    auto obs = observed(Kind::Compute, kCompute, desired_compute_body());
    obs.body["properties"]["properties"][row.field] = row.value;  // as the live resource has it

    config::Policy no_replace;
    const Plan blocked = diff({d}, {obs}, DiffInputs{no_replace, {}, {{kCompute, "0000"}}, {}, {}, {}, {}});
    CHECK(action_for(blocked, kCompute).kind == ActionKind::Blocked);
    CHECK_FALSE(action_for(blocked, kCompute).writes());
    CHECK(has_finding(blocked, "replacement-required"));

    config::Policy replace;
    replace.replace = true;
    const Plan replaced = diff({d}, {obs}, DiffInputs{replace, {}, {{kCompute, "0000"}}, {}, {}, {}, {}});
    const Action& a = action_for(replaced, kCompute);
    CHECK(a.kind == ActionKind::Replace);
    CHECK(a.method == "PUT");
    CHECK(a.body["properties"] == d.body["properties"]);
    CHECK_FALSE(has_finding(replaced, "replacement-required"));

    // Active jobs on the compute (given, or seen among the observed jobs) hold the replacement.
    const Plan busy = diff({d}, {obs}, DiffInputs{replace, {kCompute}, {{kCompute, "0000"}}, {}, {}, {}, {}});
    CHECK(action_for(busy, kCompute).kind == ActionKind::Blocked);
    CHECK(has_finding(busy, "replacement-required"));
    json running = desired_job_body();
    const Plan busy2 = diff({d}, {obs, observed(Kind::Job, kWs + "/jobs/other", running)},
                            DiffInputs{replace, {}, {{kCompute, "0000"}}, {}, {}, {}, {}});
    CHECK(action_for(busy2, kCompute).kind == ActionKind::Blocked);
  }
}

TEST_CASE("workspace: mutable changes are a PATCH - immutable ones are never replaced") {
  json want = desired_workspace_body();
  const auto before = desired(Kind::Workspace, kWs, want);
  config::Policy replace;
  replace.replace = true;

  SECTION("friendlyName and tags -> PATCH with only those") {
    want["properties"]["friendlyName"] = "renamed";
    want["tags"]["owner"] = "ml-team";
    const auto d = desired(Kind::Workspace, kWs, want);
    const Plan plan = diff({d}, {observed(Kind::Workspace, kWs, before.body)}, applied(before, replace));
    const Action& a = action_for(plan, kWs);
    CHECK(a.kind == ActionKind::Update);
    CHECK(a.method == "PATCH");
    CHECK(a.body["properties"] == json{{"friendlyName", "renamed"}});
    CHECK(a.body["tags"]["owner"] == "ml-team");
    CHECK(a.body["tags"]["managed-by"] == "bai2aml");
  }
  SECTION("storageAccount -> blocked with replacement-required, even with policy.replace") {
    want["properties"]["storageAccount"] = kRg + "/providers/Microsoft.Storage/storageAccounts/st2";
    const auto d = desired(Kind::Workspace, kWs, want);
    const Plan plan = diff({d}, {observed(Kind::Workspace, kWs, before.body)}, applied(before, replace));
    CHECK(action_for(plan, kWs).kind == ActionKind::Blocked);
    CHECK(has_finding(plan, "replacement-required"));
  }
}

TEST_CASE("datastore - environment and environment version updates") {
  config::Policy replace;
  replace.replace = true;

  SECTION("datastore: a new share is a PUT; a new type is a replacement") {
    json want = desired_datastore_body();
    const auto before = desired(Kind::Datastore, kDatastore, want);
    want["properties"]["fileShareName"] = "share2";
    auto d = desired(Kind::Datastore, kDatastore, want);
    Plan plan = diff({d}, {observed(Kind::Datastore, kDatastore, before.body)}, applied(before));
    CHECK(action_for(plan, kDatastore).kind == ActionKind::Update);
    CHECK(action_for(plan, kDatastore).method == "PUT");
    // The secret reference is sent for the executor to resolve.
    CHECK(translate::is_secret_ref(action_for(plan, kDatastore).body["properties"]["credentials"]["secrets"]["key"]));

    want["properties"]["datastoreType"] = "AzureBlob";
    d = desired(Kind::Datastore, kDatastore, want);
    plan = diff({d}, {observed(Kind::Datastore, kDatastore, before.body)}, applied(before, replace));
    CHECK(action_for(plan, kDatastore).kind == ActionKind::Replace);
  }
  SECTION("environment version: a description is a PUT; a new image is never replaced") {
    json want = desired_environment_version_body();
    const auto before = desired(Kind::EnvironmentVersion, kEnvVersion, want);
    want["properties"]["description"] = "now described";
    auto d = desired(Kind::EnvironmentVersion, kEnvVersion, want);
    Plan plan = diff({d}, {observed(Kind::EnvironmentVersion, kEnvVersion, before.body)}, applied(before, replace));
    CHECK(action_for(plan, kEnvVersion).kind == ActionKind::Update);

    want["properties"]["image"] = "tensorflow/tensorflow:2.0.0";
    d = desired(Kind::EnvironmentVersion, kEnvVersion, want);
    plan = diff({d}, {observed(Kind::EnvironmentVersion, kEnvVersion, before.body)}, applied(before, replace));
    CHECK(action_for(plan, kEnvVersion).kind == ActionKind::Blocked);
    CHECK(has_finding(plan, "replacement-required"));
  }
}

TEST_CASE("jobs are never re-sent: a finished job - a changed spec - a journalled submission") {
  const auto d = desired(Kind::Job, kJob, desired_job_body(), {kCompute, kEnvVersion});
  for (const std::string status : {"Completed", "Failed", "Canceled", "Running", "Queued"}) {
    INFO(status);
    json live = desired_job_body();
    live["properties"]["command"] = "python old_train.py";
    ObservedResource obs = observed(Kind::Job, kJob, live);
    obs.body["properties"]["status"] = status;
    config::Policy all;
    all.replace = all.adopt = all.prune = true;
    const Plan plan = diff({d}, {obs}, DiffInputs{all, {}, {}, {}, {}, {}, {}});
    CHECK(action_for(plan, kJob).kind == ActionKind::Noop);
    CHECK(has_finding(plan, "job-spec-changed"));
  }
  // Submitted before (journal), no longer listed: still not submitted again.
  DiffInputs in;
  in.submitted_jobs.insert(kJob);
  const Plan gone = diff({d}, {}, in);
  CHECK(action_for(gone, kJob).kind == ActionKind::Blocked);  // counted as blocked, not pending forever
  CHECK_FALSE(action_for(gone, kJob).writes());
  CHECK(has_finding(gone, "job-not-resubmitted"));
}

TEST_CASE("drift: correct restores an out-of-band edit - report only records it") {
  const auto d = desired(Kind::Compute, kCompute, desired_compute_body());
  json edited = desired_compute_body();
  edited["properties"]["properties"]["scaleSettings"]["minNodeCount"] = 2;  // hand edit in the portal
  const auto obs = observed(Kind::Compute, kCompute, edited);

  config::Policy correct;
  const Plan fixed = diff({d}, {obs}, applied(d, correct));
  CHECK(action_for(fixed, kCompute).kind == ActionKind::Update);
  CHECK(action_for(fixed, kCompute).method == "PATCH");
  CHECK(action_for(fixed, kCompute).body["properties"]["properties"]["scaleSettings"]["minNodeCount"] == 0);
  CHECK(has_finding(fixed, "drift-corrected"));

  config::Policy report;
  report.drift = config::DriftPolicy::Report;
  const Plan reported = diff({d}, {obs}, applied(d, report));
  CHECK(action_for(reported, kCompute).kind == ActionKind::Noop);
  CHECK(has_finding(reported, "drift-detected"));

  // A changed desired spec is an update even under drift=report.
  json want = desired_compute_body();
  want["properties"]["properties"]["scaleSettings"]["maxNodeCount"] = 6;
  const Plan changed = diff({desired(Kind::Compute, kCompute, want)}, {obs}, applied(d, report));
  CHECK(action_for(changed, kCompute).kind == ActionKind::Update);
  CHECK_FALSE(has_finding(changed, "drift-detected"));
}

TEST_CASE("unowned resources are never written unless adopted - an unowned workspace is the parent") {
  for (const auto& c : every_kind()) {
    for (const bool adopt : {false, true}) {
      INFO(kind_label(c.kind) << " adopt=" << adopt);
      config::Policy policy;
      policy.adopt = adopt;
      policy.replace = true;
      policy.prune = true;
      const auto obs = observed(c.kind, c.id, unowned(c.kind, c.body));
      const Plan plan = diff({desired(c.kind, c.id, c.body)}, {obs}, DiffInputs{policy, {}, {}, {}, {}, {}, {}});
      const Action& a = action_for(plan, c.id);
      if (c.kind == Kind::Workspace) {
        CHECK(a.kind == ActionKind::Noop);
        CHECK(has_finding(plan, "unowned-workspace-parent"));
      } else if (adopt && c.kind != Kind::Job) {
        CHECK(a.kind == ActionKind::Adopt);
        CHECK(a.method == "PUT");
        CHECK(tags_of(c.kind, a.body)["managed-by"] == "bai2aml");
        CHECK(tags_of(c.kind, a.body)["team"] == "vision");  // their tags are kept
        CHECK(has_finding(plan, "adopted"));
      } else {
        CHECK(a.kind == ActionKind::Blocked);
        CHECK_FALSE(a.writes());
        CHECK(has_finding(plan, "unowned-conflict"));
      }
    }
  }
  // Unowned and not desired: not even mentioned, whatever the policy.
  config::Policy prune;
  prune.prune = true;
  const Plan plan = diff({}, {observed(Kind::Compute, kCompute, unowned(Kind::Compute, desired_compute_body()))},
                         DiffInputs{prune, {}, {}, {}, {}, {}, {}});
  CHECK(plan.actions.empty());
}

TEST_CASE("adopting over an immutable mismatch is blocked") {
  config::Policy adopt;
  adopt.adopt = true;
  adopt.replace = true;
  auto theirs = observed(Kind::Compute, kCompute, unowned(Kind::Compute, desired_compute_body()));
  theirs.body["properties"]["properties"]["vmSize"] = "Standard_D2";
  const Plan plan = diff({desired(Kind::Compute, kCompute, desired_compute_body())}, {theirs},
                         DiffInputs{adopt, {}, {}, {}, {}, {}, {}});
  CHECK(action_for(plan, kCompute).kind == ActionKind::Blocked);
  CHECK(has_finding(plan, "replacement-required"));
}

TEST_CASE("desired children of an unowned workspace are created under it") {
  const Plan plan = diff({desired(Kind::Workspace, kWs, desired_workspace_body()),
                          desired(Kind::Compute, kCompute, desired_compute_body(), {kWs})},
                         {observed(Kind::Workspace, kWs, unowned(Kind::Workspace, desired_workspace_body()))},
                         DiffInputs{});
  CHECK(action_for(plan, kWs).kind == ActionKind::Noop);
  CHECK(action_for(plan, kCompute).kind == ActionKind::Create);
  CHECK(action_for(plan, kCompute).depends_on == std::vector<std::string>{kWs});
}

TEST_CASE("retire: owned and undesired with prune - children first - never jobs, workspaces, busy computes or unowned children") {
  const std::vector<ObservedResource> live = {
      observed(Kind::Workspace, kWs, desired_workspace_body()),
      observed(Kind::Compute, kCompute, desired_compute_body()),
      observed(Kind::EnvironmentContainer, kEnv, desired_environment_body()),
      observed(Kind::EnvironmentVersion, kEnvVersion, desired_environment_version_body()),
  };
  config::Policy prune;
  prune.prune = true;

  SECTION("prune retires everything but the workspace (never deleted by bai2aml), children first") {
    const Plan plan = diff({}, live, DiffInputs{prune, {}, {}, {}, {}, {}, {}});
    REQUIRE(plan.actions.size() == 4);
    for (const auto& a : plan.actions) {
      if (a.id == kWs) continue;
      CHECK(a.kind == ActionKind::Retire);
      CHECK(a.method == "DELETE");
      CHECK(a.body.is_null());
    }
    CHECK(action_for(plan, kWs).kind == ActionKind::Noop);
    CHECK(has_finding(plan, "workspace-kept"));
    CHECK(action_for(plan, kEnv).depends_on == std::vector<std::string>{kEnvVersion});
    CHECK(action_for(plan, kCompute).source_id == kSource + "/clusters/c1");
  }
  SECTION("without prune nothing is deleted") {
    config::Policy keep;
    keep.prune = false;
    const Plan plan = diff({}, live, DiffInputs{keep, {}, {}, {}, {}, {}, {}});
    for (const auto& a : plan.actions) CHECK(a.kind == ActionKind::Noop);
  }
  SECTION("a compute with active jobs is kept, and so is its workspace") {
    auto with_job = live;
    with_job.push_back(observed(Kind::Job, kJob, desired_job_body()));  // Running, owned, not desired
    const Plan plan = diff({}, with_job, DiffInputs{prune, {}, {}, {}, {}, {}, {}});
    CHECK(action_for(plan, kJob).kind == ActionKind::Noop);
    CHECK(action_for(plan, kCompute).kind == ActionKind::Blocked);
    CHECK(action_for(plan, kWs).kind == ActionKind::Noop);
    CHECK(action_for(plan, kEnvVersion).kind == ActionKind::Blocked);  // the running job uses it
    CHECK(has_finding(plan, "retire-blocked"));
  }
  SECTION("an unowned child keeps its workspace") {
    auto with_theirs = live;
    with_theirs.push_back(
        observed(Kind::Datastore, kDatastore, unowned(Kind::Datastore, desired_datastore_body())));
    const Plan plan = diff({}, with_theirs, DiffInputs{prune, {}, {}, {}, {}, {}, {}});
    CHECK(action_for(plan, kWs).kind == ActionKind::Noop);
    CHECK(action_for(plan, kCompute).kind == ActionKind::Retire);
    CHECK(std::none_of(plan.actions.begin(), plan.actions.end(),
                       [](const Action& a) { return id_key(a.id) == id_key(kDatastore); }));
  }
}

TEST_CASE("ids match case-insensitively and the plan is in dependency order") {
  std::string upper_compute = kCompute;
  std::transform(upper_compute.begin(), upper_compute.end(), upper_compute.begin(), ::toupper);
  const Plan same = diff({desired(Kind::Compute, kCompute, desired_compute_body())},
                         {observed(Kind::Compute, upper_compute, desired_compute_body())}, DiffInputs{});
  REQUIRE(same.actions.size() == 1);
  CHECK(same.actions[0].kind == ActionKind::Noop);

  const Plan plan = diff({desired(Kind::Job, kJob, desired_job_body(), {kCompute}),
                          desired(Kind::Compute, kCompute, desired_compute_body(), {kWs}),
                          desired(Kind::EnvironmentVersion, kEnvVersion, desired_environment_version_body(), {kEnv}),
                          desired(Kind::Workspace, kWs, desired_workspace_body()),
                          desired(Kind::Datastore, kDatastore, desired_datastore_body(), {kWs}),
                          desired(Kind::Compute, kCompute, desired_compute_body(), {kWs})},
                         {}, DiffInputs{});
  std::vector<Kind> kinds;
  for (const auto& a : plan.actions) kinds.push_back(a.resource_kind);
  CHECK(kinds == std::vector<Kind>{Kind::Workspace, Kind::Compute, Kind::Datastore, Kind::EnvironmentVersion,
                                   Kind::Job});
  CHECK(has_finding(plan, "duplicate-desired"));
}

TEST_CASE("a scope whose LIST failed is neither created into nor retired from") {
  config::Policy prune;
  prune.prune = true;
  DiffInputs in{prune, {}, {}, {}, {}, {}, {}};
  in.unobserved_scopes.insert(kWs);
  // The compute LIST of ws1 failed: the compute is not seen, yet it may well exist.
  const Plan plan = diff({desired(Kind::Compute, kCompute, desired_compute_body(), {kWs}),
                          desired(Kind::Workspace, kWs, desired_workspace_body())},
                         {observed(Kind::Workspace, kWs, desired_workspace_body()),
                          observed(Kind::Datastore, kDatastore, desired_datastore_body())},
                         in);
  CHECK(action_for(plan, kCompute).kind == ActionKind::Blocked);
  CHECK_FALSE(action_for(plan, kCompute).writes());
  CHECK(action_for(plan, kWs).kind == ActionKind::Noop);  // observed itself: compared as usual
  CHECK(std::none_of(plan.actions.begin(), plan.actions.end(),
                     [](const Action& a) { return a.kind == ActionKind::Retire; }));
}

TEST_CASE("nothing observed inside a scope whose LIST failed is updated or replaced") {
  config::Policy replace;
  replace.replace = true;
  DiffInputs in{replace, {}, {}, {}, {}};
  in.unobserved_scopes.insert(kWs);
  // The jobs LIST of ws1 failed: whether the compute has active jobs is unknown.
  json changed = desired_compute_body();
  changed["properties"]["properties"]["vmSize"] = "Standard_NC12";
  const Plan plan = diff({desired(Kind::Workspace, kWs, desired_workspace_body()),
                          desired(Kind::Compute, kCompute, changed, {kWs})},
                         {observed(Kind::Workspace, kWs, desired_workspace_body()),
                          observed(Kind::Compute, kCompute, desired_compute_body())},
                         in);
  CHECK(action_for(plan, kCompute).kind == ActionKind::Noop);
  CHECK_FALSE(action_for(plan, kCompute).writes());

  in.unobserved_scopes.clear();  // the next pass sees it all: replaced as usual
  const Plan next = diff({desired(Kind::Workspace, kWs, desired_workspace_body()),
                          desired(Kind::Compute, kCompute, changed, {kWs})},
                         {observed(Kind::Workspace, kWs, desired_workspace_body()),
                          observed(Kind::Compute, kCompute, desired_compute_body())},
                         in);
  CHECK(action_for(next, kCompute).kind == ActionKind::Replace);
}

TEST_CASE("an owned compute whose provisioning ended Failed is recovered - with backoff - then failed for good") {
  const auto desired_compute = desired(Kind::Compute, kCompute, desired_compute_body(), {kWs});
  auto failed = observed(Kind::Compute, kCompute, desired_compute_body());
  failed.body["properties"]["provisioningState"] = "Failed";
  failed.body["properties"]["provisioningErrors"] =
      json::array({{{"error", {{"code", "AllocationFailed"}, {"message", "no capacity in eastus"}}}}});
  const auto plan_with = [&](DiffInputs in) { return diff({desired_compute}, {failed}, in); };
  const std::string hash = body_hash(desired_compute.body);

  // Never recovered: delete and create again (a PUT over it would change nothing).
  DiffInputs in;
  Plan plan = plan_with(in);
  CHECK(action_for(plan, kCompute).kind == ActionKind::Recover);
  CHECK(action_for(plan, kCompute).method == "PUT");
  CHECK(action_for(plan, kCompute).reason.find("AllocationFailed: no capacity in eastus") != std::string::npos);
  CHECK(has_finding(plan, "provisioning-failed"));

  // Recovered once, the last one recently: it waits (no write), still pending.
  in.recoveries[id_key(kCompute)].attempts[hash] = 1;
  in.recoveries[id_key(kCompute)].backing_off = true;
  plan = plan_with(in);
  CHECK(action_for(plan, kCompute).kind == ActionKind::Noop);
  CHECK_FALSE(action_for(plan, kCompute).failed);

  // Active jobs on it: not deleted.
  DiffInputs busy;
  busy.computes_with_active_jobs.insert(kCompute);
  CHECK(plan_with(busy).actions.at(0).kind == ActionKind::Blocked);
  CHECK_FALSE(plan_with(busy).actions.at(0).failed);

  // Every attempt used: failed, with ARM's error in the finding.
  in.recoveries[id_key(kCompute)].attempts[hash] = in.max_recovery_attempts;
  in.recoveries[id_key(kCompute)].backing_off = false;
  plan = plan_with(in);
  CHECK(action_for(plan, kCompute).kind == ActionKind::Blocked);
  CHECK(action_for(plan, kCompute).failed);
  const auto f = std::find_if(plan.findings.begin(), plan.findings.end(),
                              [](const translate::Finding& x) { return x.code == "provisioning-failed"; });
  REQUIRE(f != plan.findings.end());
  CHECK(f->severity == translate::Severity::Error);
  CHECK(f->message.find("AllocationFailed: no capacity in eastus") != std::string::npos);

  // A new desired spec starts the count again.
  in.recoveries[id_key(kCompute)].attempts.clear();
  in.recoveries[id_key(kCompute)].attempts["another-spec"] = 3;
  CHECK(plan_with(in).actions.at(0).kind == ActionKind::Recover);
}
