// bai2aml history, end to end: a compute created by apply, edited by hand in the "portal" (the
// emulator's admin PUT), corrected by the next apply; its story from the journal, the audit log and
// the recorded findings and state changes.
#include <catch2/catch.hpp>

#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;
using nlohmann::json;

namespace {

const std::string kCluster = "/workspaces/NLP_Workspace/clusters/Transformer_Training_Cluster_2018";

void apply(const E2eBench& bench) {
  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "120"});
  INFO(r.err.substr(r.err.size() > 4000 ? r.err.size() - 4000 : 0));
  REQUIRE(r.exit_code == 0);
}

json report(const E2eBench& bench) {
  auto r = bench.bai2aml({"report", "--config", bench.config_path(), "--format", "json"});
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

// The report entry of the cluster: its Batch AI id and its compute's AML id.
std::pair<std::string, std::string> cluster_ids(const json& rep) {
  for (const auto& e : rep["resources"]) {
    const auto id = e["source_id"].get<std::string>();
    if (id.size() >= kCluster.size() && id.compare(id.size() - kCluster.size(), kCluster.size(), kCluster) == 0)
      for (const auto& a : e["aml"])
        if (a["kind"] == "compute") return {id, a["id"].get<std::string>()};
  }
  FAIL("no compute for " << kCluster);
  return {};
}

std::vector<json> events_of(const json& h, const std::string& type) {
  std::vector<json> out;
  for (const auto& e : h["events"])
    if (e["type"] == type) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE("history: a compute created, drifted by hand and corrected") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  apply(bench);
  const auto [source_id, compute_id] = cluster_ids(report(bench));

  // A hand edit in the portal.
  json compute;
  for (const auto& r : emulator.resources(compute_id))
    if (r["id"] == compute_id) compute = r;
  REQUIRE(compute.is_object());
  auto& scale = compute["properties"]["properties"]["scaleSettings"];
  scale["maxNodeCount"] = scale["maxNodeCount"].get<int>() + 7;
  emulator.put_resource(compute);
  apply(bench);

  auto r = bench.bai2aml({"history", "--config", bench.config_path(), compute_id, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto h = json::parse(r.out);
  INFO(h.dump(2));
  CHECK(h["found"] == true);
  CHECK(h["source_id"] == source_id);
  REQUIRE(h["aml_ids"].size() == 1);

  // Each write, in order, with its outcome and ARM request id.
  const auto writes = events_of(h, "write");
  REQUIRE(writes.size() == 2);
  CHECK(writes[0]["action"] == "create");
  CHECK(writes[0]["method"] == "PUT");
  CHECK(writes[0]["state"] == "succeeded");
  CHECK(writes[1]["action"] == "update");
  CHECK(writes[1]["state"] == "succeeded");
  for (const auto& w : writes) {
    REQUIRE(w["requests"].size() >= 1);
    CHECK_FALSE(w["requests"][0]["request_id"].get<std::string>().empty());
    CHECK(w["summary"].get<std::string>().find("request id " + w["requests"].back()["request_id"].get<std::string>()) !=
          std::string::npos);
  }
  // The drift, as the finding the correcting pass raised and the next pass cleared.
  json drift;
  for (const auto& f : events_of(h, "finding"))
    if (f["code"] == "drift-corrected" && drift.is_null()) drift = f;
  REQUIRE(drift.is_object());
  CHECK(drift["event"] == "raised");
  CHECK(drift["severity"] == "info");
  CHECK(drift["message"].get<std::string>().find("maxNodeCount") != std::string::npos);
  // The state changes: it reached in_sync, and ends there.
  const auto states = events_of(h, "state");
  REQUIRE(!states.empty());
  CHECK(states.back()["state"] == "in_sync");
  // Oldest first: the creation precedes the drift's finding, which precedes its correction.
  std::vector<std::string> order;
  for (const auto& e : h["events"]) order.push_back(e["type"].get<std::string>() + ":" + e.value("action", e.value("code", "")));
  const auto pos = [&](const std::string& s) { return std::find(order.begin(), order.end(), s) - order.begin(); };
  CHECK(pos("write:create") < pos("finding:drift-corrected"));
  CHECK(pos("finding:drift-corrected") <= pos("write:update"));

  // The Batch AI id tells the same story (its AML counterparts'), and the text form says it too.
  auto by_source = bench.bai2aml({"history", "--config", bench.config_path(), source_id});
  REQUIRE(by_source.exit_code == 0);
  CHECK(by_source.out.find("AML:      " + compute_id) != std::string::npos);
  CHECK(by_source.out.find("write   create PUT: succeeded") != std::string::npos);
  CHECK(by_source.out.find("write   update PATCH: succeeded") != std::string::npos);
  CHECK(by_source.out.find("finding raised info drift-corrected") != std::string::npos);
  CHECK(by_source.out.find("state   in_sync (Succeeded)") != std::string::npos);
}

TEST_CASE("history: an unknown id fails and names the database, a missing id is a usage error") {
  EmulatorProcess emulator(sample_seed(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  auto r = bench.bai2aml({"history", "--config", bench.config_path(), "/subscriptions/x/resourceGroups/y/nothing"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("neither a Batch AI nor an AML resource") != std::string::npos);
  r = bench.bai2aml({"history", "--config", bench.config_path()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("history needs the ARM id") != std::string::npos);
  r = bench.bai2aml({"history", "--config", bench.config_path(), "/a", "/b"});
  CHECK(r.exit_code == 2);
}
