// issue 14: odd values the database may hold (an inventory item's field of the wrong type, a message
// that is not valid UTF-8) never take a command down.
#include <catch2/catch.hpp>

#include "state/store.hpp"
#include "translate/findings.hpp"
#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;
using nlohmann::json;

TEST_CASE("report: non-string fields and invalid UTF-8 in the database give a report, not type_error 302 or 316") {
  EmulatorProcess emulator(sample_seed());
  E2eBench bench(emulator);
  const std::string ws = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
                         "Microsoft.BatchAI/workspaces/ws";
  {
    auto store = bai2aml::state::Store::open(bench.config_json()["state"]["database"].get<std::string>(), {true});
    store->replace_inventory(
        {{{"id", ws}, {"name", "ws"}, {"properties", json::object()}},
         {{"id", ws + "/experiments/e/jobs/state-number"}, {"name", "state-number"}, {"properties", {{"executionState", 5}}}},
         {{"id", ws + "/experiments/e/jobs/props-array"}, {"name", "props-array"}, {"properties", json::array()}},
         {{"id", ws + "/experiments/e/jobs/no-props"}, {"name", "no-props"}}},
        std::chrono::system_clock::now());
    auto f = bai2aml::translate::make_finding("malformed-resource", ws + "/experiments/e/jobs/state-number",
                                              "cut in the middle: \xE2\x82 and Latin-1 caf\xE9");
    store->replace_findings("translate", {f});
  }
  const auto js = bench.bai2aml({"report", "--config", bench.config_path(), "--format", "json"});
  INFO(js.err);
  REQUIRE(js.exit_code == 0);
  const auto doc = json::parse(js.out);
  CHECK(doc["resources"].size() == 4);
  bool seen = false;
  for (const auto& r : doc["resources"])
    for (const auto& f : r["findings"])
      if (f["code"] == "malformed-resource") {
        seen = true;
        CHECK(f["message"] == "cut in the middle: \xEF\xBF\xBD and Latin-1 caf\xEF\xBF\xBD");
      }
  CHECK(seen);
  const auto md = bench.bai2aml({"report", "--config", bench.config_path()});
  INFO(md.err);
  CHECK(md.exit_code == 0);
  CHECK(md.out.find("state-number") != std::string::npos);
}

// issue 14: a snapshot (or an ARM answer) nested 100000 deep used to parse, then the store's secret
// scrub recursed once per level: a stack overflow, and the same again at every restart.
TEST_CASE("apply: an inventory nested 100000 deep is a source error naming the limit, not a crash") {
  EmulatorProcess emulator(sample_seed());
  E2eBench bench(emulator);
  auto seed = json::parse(sample_seed());
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string text = seed.dump();
  // Into the first resource's properties, as raw text: building it as a json would recurse here too.
  const std::string marker = "\"properties\":{";
  text.insert(text.find(marker) + marker.size(), "\"x\":" + deep + ",");
  write_file(bench.file("deep.json"), text);
  auto cfg = bench.config_json();
  cfg["source"]["inventory_file"] = bench.file("deep.json");
  bench.write_config(cfg);
  const auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "2"});
  INFO(r.err);
  CHECK(r.exit_code == 3);  // timed out, still alive: the pass was Degraded, not the process
  CHECK(r.err.find("nested deeper than 64 levels") != std::string::npos);
}
