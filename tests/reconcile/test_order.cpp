#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/order.hpp"

using namespace bai2aml::reconcile;
using namespace bai2aml::reconcile::fixtures;
using bai2aml::translate::Kind;

namespace {

Action write(ActionKind kind, Kind rk, const std::string& id, std::vector<std::string> deps = {}) {
  Action a;
  a.kind = kind;
  a.resource_kind = rk;
  a.id = id;
  a.method = kind == ActionKind::Retire ? "DELETE" : "PUT";
  a.depends_on = std::move(deps);
  return a;
}

}  // namespace

TEST_CASE("sort_actions: writes parents first - retirements children first - ties by id") {
  std::vector<Action> actions = {
      write(ActionKind::Retire, Kind::Workspace, kRg + "/providers/Microsoft.MachineLearningServices/workspaces/old"),
      write(ActionKind::Create, Kind::Job, kJob),
      write(ActionKind::Retire, Kind::Compute, kWs + "/computes/old"),
      write(ActionKind::Create, Kind::EnvironmentVersion, kEnvVersion),
      write(ActionKind::Create, Kind::Datastore, kDatastore),
      write(ActionKind::Update, Kind::Compute, kCompute),
      write(ActionKind::Create, Kind::Workspace, kWs),
  };
  sort_actions(actions);
  std::vector<std::string> ids;
  for (const auto& a : actions) ids.push_back(a.id);
  CHECK(ids == std::vector<std::string>{kWs, kCompute, kDatastore, kEnvVersion, kJob, kWs + "/computes/old",
                                        kRg + "/providers/Microsoft.MachineLearningServices/workspaces/old"});
}

TEST_CASE("readiness: dependencies observed Succeeded or completed this cycle") {
  const std::vector<Action> plan = {
      write(ActionKind::Create, Kind::Workspace, kWs),
      write(ActionKind::Create, Kind::Compute, kCompute, {kWs}),
      write(ActionKind::Create, Kind::EnvironmentVersion, kEnvVersion, {kEnv}),
      write(ActionKind::Create, Kind::Job, kJob, {kCompute, kEnvVersion}),
  };
  ReadyIndex live;  // nothing exists yet
  std::set<std::string> done;
  CHECK(ready_actions(plan, live, done) == std::vector<std::size_t>{0});

  // The workspace exists but is still provisioning: its children wait.
  live = ready_index({ObservedResource{Kind::Workspace, kWs, {{"properties", {{"provisioningState", "Creating"}}}}},
                      ObservedResource{Kind::EnvironmentContainer, kEnv, {{"properties", json::object()}}}});
  CHECK(ready_actions(plan, live, done) == std::vector<std::size_t>{0, 2});

  // Completed earlier in this cycle counts as ready (ids compare case-insensitively).
  done.insert(id_key(kWs));
  CHECK(ready_actions(plan, live, done) == std::vector<std::size_t>{1, 2});
  done.insert(id_key(kCompute));
  done.insert(id_key(kEnvVersion));
  CHECK(ready_actions(plan, live, done) == std::vector<std::size_t>{3});

  // Noop and Blocked actions are never "ready": they send nothing.
  Action noop = write(ActionKind::Noop, Kind::Compute, kCompute);
  noop.method.clear();
  CHECK(ready_actions({noop}, {}, {}).empty());
}

TEST_CASE("readiness of a retirement: its children must be gone") {
  const Action retire_ws = write(ActionKind::Retire, Kind::Workspace, kWs, {kCompute});
  ReadyIndex live = {{id_key(kWs), true}, {id_key(kCompute), true}};
  CHECK_FALSE(dependencies_met(retire_ws, live, {}));
  CHECK(dependencies_met(retire_ws, live, {id_key(kCompute)}));  // deleted this cycle
  live.erase(id_key(kCompute));
  CHECK(dependencies_met(retire_ws, live, {}));
}

TEST_CASE("unsatisfiable dependencies: neither observed nor produced by the plan") {
  const std::vector<Action> plan = {
      write(ActionKind::Create, Kind::Compute, kCompute, {kWs}),
      write(ActionKind::Create, Kind::Job, kJob, {kCompute, kEnvVersion}),
  };
  CHECK(unsatisfiable_dependencies(plan[0], plan, {}) == std::vector<std::string>{kWs});
  CHECK(unsatisfiable_dependencies(plan[1], plan, {}) == std::vector<std::string>{kEnvVersion});
  CHECK(unsatisfiable_dependencies(plan[1], plan, {{id_key(kEnvVersion), false}}).empty());
}
