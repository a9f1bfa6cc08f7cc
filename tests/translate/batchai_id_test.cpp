#include <catch2/catch.hpp>

#include "translate/batchai_id.hpp"

using namespace bai2aml::translate;

TEST_CASE("Batch AI ids: the kind comes from the path, tolerating the spec's malformed examples", "[ids]") {
  const std::string p = "/subscriptions/s/resourceGroups/g/providers/Microsoft.BatchAI/";
  struct Row {
    std::string id;
    SourceKind kind;
    std::string workspace, experiment, name;
  };
  const Row rows[] = {
      {p + "workspaces/w", SourceKind::Workspace, "w", "", "w"},
      {p + "workspaces/w/clusters/c", SourceKind::Cluster, "w", "", "c"},
      {p + "workspaces/w/fileservers/f", SourceKind::FileServer, "w", "", "f"},
      {p + "workspaces/w/fileServers/f", SourceKind::FileServer, "w", "", "f"},
      {p + "workspaces/w/experiments/e", SourceKind::Experiment, "w", "", "e"},
      {p + "workspaces/w/experiments/e/jobs/j", SourceKind::Job, "w", "e", "j"},
      {p + "workspace/w/experiments/e", SourceKind::Experiment, "w", "", "e"},  // GetExperiment.json
      {p + "clusters/c", SourceKind::Cluster, "", "", "c"},                      // GetJob.json's cluster
      {p + "workspaces/w/jobs/j", SourceKind::Unknown, "", "", ""},              // ListJobByExperiment.json
      {p + "workspaces/w/clusters/c/extra", SourceKind::Unknown, "", "", ""},
      {"/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/v", SourceKind::Unknown, "", "", ""},
      {"", SourceKind::Unknown, "", "", ""},
      {"not an id", SourceKind::Unknown, "", "", ""},
  };
  for (const auto& r : rows) {
    INFO(r.id);
    const SourceId s = parse_batchai_id(r.id);
    CHECK(s.kind == r.kind);
    if (r.kind == SourceKind::Unknown) continue;
    CHECK(s.workspace == r.workspace);
    CHECK(s.experiment == r.experiment);
    CHECK(s.name == r.name);
    CHECK(s.resource_group == "g");
  }
  CHECK(id_key("/Subscriptions/S/x/") == "/subscriptions/s/x");
}
