// Stable identity (issue 12): a job's name does not depend on which jobs are selected, names AML
// already holds stay, and a name another source holds is never given away.
#include <catch2/catch.hpp>

#include "tests/translate/fixtures.hpp"
#include "translate/names.hpp"
#include "translate/translate.hpp"

using namespace bai2aml::translate;
using namespace bai2aml::translate::test;

namespace {

std::string lower_key(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TEST_CASE("a job's name does not depend on which other jobs are selected", "[names][identity]") {
  const std::string e1 = ws_id("ws1") + "/experiments/e1/jobs/train";
  const std::vector<json> both = {workspace("ws1"), cluster("ws1", "cl1"), job("ws1", "e1", "train", "cl1"),
                                  job("ws1", "e2", "train", "cl1")};
  auto one_running = both;
  one_running[3]["properties"]["executionState"] = "running";  // e2/train leaves the selection
  const Translation a = translate(both, test_config()), b = translate(one_running, test_config());
  REQUIRE(source_resource(a, Kind::Job, e1));
  REQUIRE(source_resource(b, Kind::Job, e1));
  CHECK(source_resource(a, Kind::Job, e1)->id == aml_ws("ws1") + "/jobs/train-" + short_hash(e1));
  CHECK(source_resource(b, Kind::Job, e1)->id == source_resource(a, Kind::Job, e1)->id);
  CHECK(findings(b, "name-collision").empty());
}

TEST_CASE("a resource keeps the name it exists under in AML", "[names][identity]") {
  const std::string e1 = ws_id("ws1") + "/experiments/e1/jobs/train";
  const std::string gpu = ws_id("ws1") + "/clusters/gpu";
  const std::vector<json> res = {workspace("ws1"), cluster("ws1", "gpu"), cluster("ws2", "gpu", {}, "rg2"),
                                 workspace("ws2", "rg2"), job("ws1", "e1", "train", "gpu"),
                                 job("ws1", "e2", "train", "gpu")};
  NameHints hints;
  hints.jobs[lower_key(e1)] = {"train"};  // created while e1/train was the only one
  hints.computes[lower_key(gpu)] = {"gpu"};
  const Translation t = translate(res, test_config(), hints);
  CHECK(source_resource(t, Kind::Job, e1)->id == aml_ws("ws1") + "/jobs/train");
  const std::string e2 = ws_id("ws1") + "/experiments/e2/jobs/train";
  CHECK(source_resource(t, Kind::Job, e2)->id == aml_ws("ws1") + "/jobs/train-" + short_hash(e2));
  CHECK(source_resource(t, Kind::Compute, gpu)->id == aml_ws("ws1") + "/computes/gpu");
  const std::string other = ws_id("ws2", "rg2") + "/clusters/gpu";
  CHECK(source_resource(t, Kind::Compute, other)->id == aml_ws("ws2") + "/computes/gpu-c" + short_hash(other));
}

TEST_CASE("a name another source holds in AML is never given away", "[names][identity]") {
  const std::string e3 = ws_id("ws1") + "/experiments/e3/jobs/train";
  const std::vector<json> res = {workspace("ws1"), cluster("ws1", "gpu"), job("ws1", "e3", "train", "gpu")};
  NameHints hints;
  hints.taken_jobs["ws1/train"] = {lower_key(ws_id("ws1") + "/experiments/e1/jobs/train")};
  hints.taken_workspaces["ws1"] = {lower_key(ws_id("ws1", "other-rg"))};  // another instance's
  const Translation t = translate(res, test_config(), hints);
  const std::string ws = ws_id("ws1");
  const DesiredResource* w = source_resource(t, Kind::Workspace, ws);
  REQUIRE(w);
  CHECK(w->id != aml_ws("ws1"));
  CHECK(w->id.find("/workspaces/ws1-" + short_hash(ws)) != std::string::npos);
  const DesiredResource* j = source_resource(t, Kind::Job, e3);
  REQUIRE(j);
  CHECK(j->id.substr(j->id.rfind('/') + 1) == "train");  // its workspace moved: "train" is free there

  SECTION("the holder itself keeps it") {
    NameHints own;
    own.taken_jobs["ws1/train"] = {lower_key(e3)};
    const Translation u = translate(res, test_config(), own);
    CHECK(source_resource(u, Kind::Job, e3)->id == aml_ws("ws1") + "/jobs/train");
  }
  SECTION("taken in the same workspace: hash suffix") {
    NameHints jobs_only;
    jobs_only.taken_jobs["ws1/train"] = hints.taken_jobs["ws1/train"];
    const Translation u = translate(res, test_config(), jobs_only);
    CHECK(source_resource(u, Kind::Job, e3)->id == aml_ws("ws1") + "/jobs/train-" + short_hash(e3));
  }
}

TEST_CASE("an override of a job that is not migrated is no config problem", "[names][identity]") {
  auto cfg = test_config();
  cfg.mapping.names["done"] = "bad name";
  const std::vector<json> res = {workspace("ws1"), cluster("ws1", "gpu"),
                                 job("ws1", "e", "done", "gpu", {{"executionState", "succeeded"}})};
  CHECK(validate_mapping(res, cfg).empty());
}
