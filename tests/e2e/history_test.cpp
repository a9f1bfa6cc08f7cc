// bai2aml history, end to end: a compute created by apply, edited by hand in the "portal" (the
// emulator's admin PUT), corrected by the next apply; its story from the journal, the audit log and
// the recorded findings and state changes.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <set>

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

// Rows of a query on the daemon's database, read (or written) with SQLite itself.
std::vector<std::vector<std::string>> sql(const std::string& db_path, const std::string& query) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  INFO(query << ": " << sqlite3_errmsg(db));
  REQUIRE(sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::vector<std::string>> rows;
  int rc = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* text = sqlite3_column_text(st, i);
      row.push_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    rows.push_back(std::move(row));
  }
  CHECK(rc == SQLITE_DONE);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

// A hand edit of the compute in the "portal": one more node at most.
void drift(const EmulatorProcess& emulator, const std::string& compute_id) {
  json compute;
  for (const auto& r : emulator.resources(compute_id))
    if (r["id"] == compute_id) compute = r;
  REQUIRE(compute.is_object());
  auto& scale = compute["properties"]["properties"]["scaleSettings"];
  scale["maxNodeCount"] = scale["maxNodeCount"].get<int>() + 7;
  emulator.put_resource(compute);
}

}  // namespace

TEST_CASE("history: a compute created, drifted by hand and corrected") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  apply(bench);
  const auto [source_id, compute_id] = cluster_ids(report(bench));

  drift(emulator, compute_id);
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

TEST_CASE("journal compaction: at most once an hour - superseded rows go - history tells them from the audit log - nothing is sent again") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "100"});
  E2eBench bench(emulator);
  const std::string db = bench.file("bai2aml.db");
  apply(bench);
  const auto [source_id, compute_id] = cluster_ids(report(bench));
  const std::string of_compute = "resource_id = '" + compute_id + "' COLLATE NOCASE";
  const auto op_ids = [&](const std::string& where) {
    std::set<std::string> out;
    for (const auto& row : sql(db, "SELECT op_id FROM operations o WHERE " + where)) out.insert(row[0]);
    return out;
  };
  // Finished rows a newer finished row of the same write supersedes.
  const std::string superseded =
      of_compute + " AND state IN ('succeeded', 'failed', 'abandoned') AND EXISTS (SELECT 1 FROM operations n WHERE "
      "n.resource_id = o.resource_id AND n.action = o.action AND n.method = o.method AND n.state = o.state AND "
      "n.body_hash = o.body_hash AND n.op_id > o.op_id)";
  // The first pass compacted (nothing to delete yet) and recorded it.
  REQUIRE(sql(db, "SELECT COUNT(*) FROM journal_compactions")[0][0] == "1");

  // The same correction twice: two finished rows of one write, the older superseded.
  drift(emulator, compute_id);
  apply(bench);
  drift(emulator, compute_id);
  apply(bench);
  const auto before = op_ids(of_compute);
  const auto gone = op_ids(superseded);
  CHECK(before.size() >= 3);  // create, update, update: not compacted within the hour
  REQUIRE(gone.size() >= 1);
  CHECK(sql(db, "SELECT COUNT(*) FROM journal_compactions")[0][0] == "1");

  // An hour later (the last compaction's time moved back): the next pass compacts.
  sql(db, "UPDATE journal_compactions SET at = '2000-01-01T00:00:00Z'");
  emulator.reset_stats();
  apply(bench);
  CHECK(write_requests(emulator) == 0);
  std::set<std::string> kept;
  for (const auto& id : before)
    if (!gone.count(id)) kept.insert(id);
  CHECK(op_ids(of_compute) == kept);  // exactly the superseded rows are gone
  const auto runs = sql(db, "SELECT at, deleted FROM journal_compactions ORDER BY rowid");
  REQUIRE(runs.size() == 2);
  CHECK(std::stoul(runs[1][1]) >= gone.size());
  CHECK(runs[1][0] > "2001");

  // Its story is whole: each compacted write from its requests in the audit log.
  auto r = bench.bai2aml({"history", "--config", bench.config_path(), compute_id, "--json"});
  REQUIRE(r.exit_code == 0);
  const auto h = json::parse(r.out);
  INFO(h.dump(2));
  std::size_t compacted = 0, journalled_updates = 0;
  for (const auto& w : events_of(h, "write")) {
    if (w.value("compacted", false)) {
      ++compacted;
      CHECK(gone.count(std::to_string(w["op_id"].get<std::int64_t>())));
      REQUIRE(w["requests"].size() >= 1);
      CHECK(w["summary"].get<std::string>().find("journal row compacted") != std::string::npos);
    } else if (w["action"] == "update") {
      ++journalled_updates;
    }
  }
  CHECK(compacted >= 1);
  CHECK(journalled_updates >= 1);

  // Nothing is sent again because of it: another pass writes nothing.
  emulator.reset_stats();
  apply(bench);
  CHECK(write_requests(emulator) == 0);
}
