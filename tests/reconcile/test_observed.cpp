#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/observed.hpp"

using namespace bai2aml::reconcile;
using namespace bai2aml::reconcile::fixtures;
using bai2aml::translate::Kind;

TEST_CASE("kind_from_id reads the kind from the id path - case-insensitively") {
  struct Row {
    std::string id;
    std::optional<Kind> kind;
  };
  const std::vector<Row> rows = {
      {kWs, Kind::Workspace},
      {kCompute, Kind::Compute},
      {kDatastore, Kind::Datastore},
      {kEnv, Kind::EnvironmentContainer},
      {kEnvVersion, Kind::EnvironmentVersion},
      {kJob, Kind::Job},
      {"/SUBSCRIPTIONS/x/RESOURCEGROUPS/y/PROVIDERS/microsoft.machinelearningservices/WORKSPACES/w/COMPUTES/c",
       Kind::Compute},
      {kWs + "/", Kind::Workspace},
      {kWs + "/computes", std::nullopt},                // a collection, not a resource
      {kWs + "/computes/c/usages/x", std::nullopt},      // deeper than any managed kind
      {kWs + "/connections/c", std::nullopt},           // a kind bai2aml does not manage
      {"/subscriptions/s/resourceGroups/g/providers/Microsoft.BatchAI/workspaces/w", std::nullopt},
      {"/providers/Microsoft.MachineLearningServices/workspaces/w", std::nullopt},  // no subscription
      {"", std::nullopt},
      {"not an id", std::nullopt},
  };
  for (const auto& row : rows) {
    INFO(row.id);
    CHECK(kind_from_id(row.id) == row.kind);
  }
}

TEST_CASE("workspace_of - parent_of and leaf_name walk the id") {
  CHECK(workspace_of(kJob) == kWs);
  CHECK(workspace_of(kEnvVersion) == kWs);
  CHECK(workspace_of(kWs) == kWs);
  CHECK(workspace_of("/subscriptions/x") == "");
  CHECK(parent_of(kEnvVersion) == kEnv);
  CHECK(parent_of(kCompute) == kWs);
  CHECK(parent_of(kWs) == "");
  CHECK(leaf_name(kCompute) == "gpu-cluster");
  CHECK(id_key("/Subscriptions/ABC/") == "/subscriptions/abc");
}

TEST_CASE("ownership is the managed-by tag - at the top for tracked and under properties for proxy resources") {
  CHECK(is_owned(Kind::Compute, desired_compute_body()));
  CHECK(is_owned(Kind::Workspace, desired_workspace_body()));
  CHECK(is_owned(Kind::Datastore, desired_datastore_body()));
  CHECK(is_owned(Kind::Job, desired_job_body()));
  CHECK_FALSE(is_owned(Kind::Compute, unowned(Kind::Compute, desired_compute_body())));
  CHECK_FALSE(is_owned(Kind::Job, unowned(Kind::Job, desired_job_body())));

  // Tags in the wrong place for the kind do not count.
  json proxy_with_top_tags = {{"tags", owned_tags()}, {"properties", json::object()}};
  CHECK_FALSE(is_owned(Kind::Datastore, proxy_with_top_tags));
  // Tag names are case-insensitive; the value is exact.
  CHECK(is_owned(Kind::Compute, json{{"tags", {{"Managed-By", "bai2aml"}}}}));
  CHECK_FALSE(is_owned(Kind::Compute, json{{"tags", {{"managed-by", "someone-else"}}}}));
  // Odd bodies never throw.
  for (const json& odd : {json(nullptr), json(3), json::array(), json{{"tags", "x"}}, json{{"tags", {{"managed-by", 1}}}},
                          json{{"properties", "x"}}}) {
    CHECK_FALSE(is_owned(Kind::Compute, odd));
    CHECK_FALSE(is_owned(Kind::Job, odd));
    CHECK(provisioning_state(odd) == "");
    CHECK(job_status(odd) == "");
  }
}

TEST_CASE("observed_from_arm takes the kind from the id and rejects items it cannot place") {
  std::string error;
  auto ok = observed_from_arm(json{{"id", kCompute}, {"type", "Microsoft.BatchAI/Clusters"}}, &error);
  REQUIRE(ok);
  CHECK(ok->kind == Kind::Compute);
  CHECK(ok->id == kCompute);

  CHECK_FALSE(observed_from_arm(json{{"name", "x"}}, &error));
  CHECK(error.find("without a string \"id\"") != std::string::npos);
  CHECK_FALSE(observed_from_arm(json{{"id", 42}}, &error));
  CHECK_FALSE(observed_from_arm(json("text"), &error));
  CHECK_FALSE(observed_from_arm(json{{"id", kWs + "/connections/c"}}, &error));
  CHECK(error.find(kWs + "/connections/c") != std::string::npos);
}

TEST_CASE("readiness follows provisioningState - proxy resources without one are ready when they exist") {
  ObservedResource ws{Kind::Workspace, kWs, {{"properties", {{"provisioningState", "succeeded"}}}}};
  CHECK(is_ready(ws));
  ws.body["properties"]["provisioningState"] = "Creating";
  CHECK_FALSE(is_ready(ws));
  ws.body = json::object();
  CHECK_FALSE(is_ready(ws));
  CHECK(is_ready(ObservedResource{Kind::Datastore, kDatastore, {{"properties", json::object()}}}));
  CHECK_FALSE(is_ready(ObservedResource{Kind::EnvironmentVersion, kEnvVersion,
                                        {{"properties", {{"provisioningState", "Creating"}}}}}));
  CHECK(is_ready(ObservedResource{Kind::Job, kJob, {{"properties", {{"status", "Queued"}}}}}));
}

TEST_CASE("computes with active jobs come from non-terminal observed jobs") {
  auto job = [](const std::string& name, const std::string& compute, const std::string& status) {
    return ObservedResource{Kind::Job, kWs + "/jobs/" + name, {{"properties", {{"computeId", compute}, {"status", status}}}}};
  };
  const std::string other = kWs + "/computes/other";
  const auto busy = computes_with_active_jobs({job("a", kCompute, "Running"), job("b", other, "Completed"),
                                               job("c", other, "Failed"), job("d", other, "canceled"),
                                               ObservedResource{Kind::Compute, kCompute, json::object()}});
  REQUIRE(busy.size() == 1);
  CHECK(busy[0] == id_key(kCompute));
  CHECK(is_terminal_job_status("COMPLETED"));
  CHECK_FALSE(is_terminal_job_status("Queued"));
  CHECK_FALSE(is_terminal_job_status(""));
}
