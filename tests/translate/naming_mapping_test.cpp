// Names across the estate: collisions, mapping.names / mapping.workspace_names, validate_mapping.
#include <catch2/catch.hpp>

#include "tests/translate/fixtures.hpp"
#include "translate/names.hpp"
#include "translate/render.hpp"
#include "translate/translate.hpp"

namespace config = bai2aml::config;
using namespace bai2aml::translate;
using namespace bai2aml::translate::test;

TEST_CASE("compute names collide region-wide, case-insensitively, and all colliders get a hash", "[names][mapping]") {
  const std::vector<json> res = {workspace("ws1"), workspace("ws2", "rg2"), cluster("ws1", "gpu"),
                                 cluster("ws2", "GPU", {}, "rg2"), cluster("ws1", "cpu")};
  const Translation t = translate(res, test_config());
  const std::string a = ws_id("ws1") + "/clusters/gpu", b = ws_id("ws2", "rg2") + "/clusters/GPU";
  const DesiredResource* ra = source_resource(t, Kind::Compute, a);
  const DesiredResource* rb = source_resource(t, Kind::Compute, b);
  REQUIRE(ra);
  REQUIRE(rb);
  CHECK(ra->id == aml_ws("ws1") + "/computes/gpu-c" + short_hash(a));
  CHECK(rb->id == aml_ws("ws2") + "/computes/GPU-c" + short_hash(b));
  CHECK(find_resource(t, Kind::Compute, "/computes/cpu"));  // no collision, unchanged
  CHECK(findings(t, "name-changed", a).size() == 1);
  CHECK(findings(t, "name-changed", ws_id("ws1") + "/clusters/cpu").empty());
  for (const auto& n : t.names) {
    if (n.source_id == a) CHECK(n.reason.find("collides") != std::string::npos);
  }
}

TEST_CASE("job names collide per AML workspace only", "[names][mapping]") {
  const std::vector<json> res = {workspace("ws1"), workspace("ws2"), cluster("ws1", "cl1"), cluster("ws2", "cl2"),
                                 job("ws1", "e1", "train", "cl1"), job("ws1", "e2", "train", "cl1"),
                                 job("ws2", "e1", "train", "cl2")};
  const Translation t = translate(res, test_config());
  CHECK(find_resource(t, Kind::Job, "/workspaces/ws2/jobs/train"));
  CHECK_FALSE(find_resource(t, Kind::Job, "/workspaces/ws1/jobs/train"));
  const std::string j1 = ws_id("ws1") + "/experiments/e1/jobs/train";
  CHECK(source_resource(t, Kind::Job, j1)->id == aml_ws("ws1") + "/jobs/train-" + short_hash(j1));
}

TEST_CASE("mapping.names and mapping.workspace_names override derived names, by id or bare name", "[names][mapping]") {
  config::Config cfg = test_config();
  cfg.mapping.workspace_names["ws1"] = "research-aml";
  cfg.mapping.names[ws_id("ws1") + "/clusters/GPU_Big"] = "gpu-big";
  cfg.mapping.names["TRAIN"] = "nightly-train";
  const std::vector<json> res = {workspace("ws1"), cluster("ws1", "GPU_Big"), job("ws1", "e", "train", "GPU_Big")};
  REQUIRE(validate_mapping(res, cfg).empty());
  const Translation t = translate(res, cfg);
  CHECK(find_resource(t, Kind::Workspace, "/workspaces/research-aml"));
  CHECK(find_resource(t, Kind::Compute, "/workspaces/research-aml/computes/gpu-big"));
  CHECK(find_resource(t, Kind::Job, "/workspaces/research-aml/jobs/nightly-train"));
  CHECK(findings(t, "name-changed").empty());  // chosen by the user: reported in the name map only
  for (const auto& n : t.names) CHECK(n.reason.find("mapping.") != std::string::npos);
}

TEST_CASE("an override that breaks a naming rule or collides is a config problem naming its path", "[names][mapping]") {
  struct Row {
    std::map<std::string, std::string> names;
    std::map<std::string, std::string> workspace_names;
    std::string path;
    std::string message_part;
  };
  const Row rows[] = {
      {{{"gpu", "1gpu"}}, {}, "mapping.names[\"gpu\"]", "must start with a letter"},
      {{{"gpu", "gpu_cluster"}}, {}, "mapping.names[\"gpu\"]", "letters, digits and '-'"},
      {{{"gpu", "a-very-long-compute-name-x"}}, {}, "mapping.names[\"gpu\"]", "3 to 24"},
      {{{"gpu", "shared"}, {"cpu", "SHARED"}}, {}, "mapping.names[\"cpu\"]", "collides"},
      {{{"gpu", "shared"}, {"cpu", "SHARED"}}, {}, "mapping.names[\"gpu\"]", "collides"},
      {{}, {{"ws1", "x"}}, "mapping.workspace_names[\"ws1\"]", "3 to 33"},
      {{}, {{"ws1", "same"}, {"ws2", "same"}}, "mapping.workspace_names[\"ws2\"]", "collides"},
      {{{"train", "bad name"}}, {}, "mapping.names[\"train\"]", "may contain only"},
  };
  const std::vector<json> res = {workspace("ws1"), workspace("ws2"), cluster("ws1", "gpu"), cluster("ws2", "cpu"),
                                 job("ws1", "e", "train", "gpu")};
  for (const auto& r : rows) {
    INFO(r.path << " " << r.message_part);
    config::Config cfg = test_config();
    cfg.mapping.names = r.names;
    cfg.mapping.workspace_names = r.workspace_names;
    const auto problems = validate_mapping(res, cfg);
    std::vector<ConfigProblem> same;
    const Translation once = translate(res, cfg, same);
    CHECK(same.size() == problems.size());
    CHECK(translation_to_json(once) == translation_to_json(translate(res, cfg)));
    // What the reconcile pass calls: the hinted translation and validate_mapping's problems at once
    // (the problems ignore what AML holds, as validate_mapping does).
    NameHints hints;
    hints.taken_computes["gpu"] = {"/subscriptions/x/resourcegroups/other/providers/microsoft.batchai/workspaces/w/clusters/gpu"};
    std::vector<ConfigProblem> hinted;
    const Translation with_hints = translate(res, cfg, hints, hinted);
    CHECK(translation_to_json(with_hints) == translation_to_json(translate(res, cfg, hints)));
    REQUIRE(hinted.size() == problems.size());
    for (std::size_t i = 0; i < problems.size(); ++i) {
      CHECK(hinted[i].path == problems[i].path);
      CHECK(hinted[i].message == problems[i].message);
    }
    bool found = false;
    for (const auto& p : problems) found = found || (p.path == r.path && p.message.find(r.message_part) != std::string::npos);
    CHECK(found);
    // translate() itself never crashes on it and says so in a finding.
    const Translation t = translate(res, cfg);
    CHECK(findings(t, "name-override-invalid").size() + findings(t, "name-collision").size() > 0);
  }
}

TEST_CASE("a bare-name override matching clusters of two workspaces collides", "[names][mapping]") {
  config::Config cfg = test_config();
  cfg.mapping.names["gpu"] = "gpu-a";
  const std::vector<json> res = {workspace("ws1"), workspace("ws2"), cluster("ws1", "gpu"), cluster("ws2", "gpu")};
  const auto problems = validate_mapping(res, cfg);
  REQUIRE_FALSE(problems.empty());
  CHECK(problems[0].path == "mapping.names[\"gpu\"]");
}

TEST_CASE("a valid mapping has no problems, and unknown keys are not problems", "[names][mapping]") {
  config::Config cfg = test_config();
  cfg.mapping.names["no-such-cluster"] = "whatever";
  CHECK(validate_mapping({workspace("ws1"), cluster("ws1", "gpu")}, cfg).empty());
  CHECK(validate_mapping(sample_inventory(), sample_config()).empty());
}
