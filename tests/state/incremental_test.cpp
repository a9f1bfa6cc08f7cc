// Incremental passes (issue 13): a pass rewrites only the rows whose content changed, and the
// journal's compaction keeps every answer the planners and the report read from it.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <map>
#include <set>

#include "state/store.hpp"
#include "tests/support/support.hpp"

using namespace bai2aml;
using namespace bai2aml::testing;
using nlohmann::json;

namespace {
const std::string kWs = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/ws";
const std::string kAml = "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml/providers/Microsoft.MachineLearningServices/workspaces/ws";

std::chrono::system_clock::time_point at(long seconds) { return std::chrono::system_clock::time_point(std::chrono::seconds(seconds)); }

std::map<std::string, state::InventoryItem> by_id(const std::vector<state::InventoryItem>& items) {
  std::map<std::string, state::InventoryItem> out;
  for (const auto& i : items) out[i.id] = i;
  return out;
}

state::Operation op(const std::string& id, const std::string& action, const std::string& method, const std::string& hash) {
  state::Operation o;
  o.resource_id = id;
  o.action = action;
  o.method = method;
  o.url = "https://management.azure.com" + id;
  o.body_hash = hash;
  o.client_request_id = "c";
  return o;
}
// rowid -> code of the findings rows, read with SQLite itself: a row deleted and inserted again gets a new rowid.
std::map<std::int64_t, std::string> finding_rowids(const std::string& db) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT rowid, code FROM findings", -1, &st, nullptr) == SQLITE_OK);
  std::map<std::int64_t, std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW)
    out[sqlite3_column_int64(st, 0)] = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
  sqlite3_finalize(st);
  sqlite3_close(raw);
  return out;
}
}  // namespace

TEST_CASE("replace_findings writes only the findings that appear, change or go away") {
  TempDir dir;
  const std::string db = dir.file("s.db");
  auto store = state::Store::open(db, {});
  const translate::Finding a{"job-finished", translate::Severity::Info, kWs + "/experiments/e/jobs/a", "The job succeeded.", "none"};
  const translate::Finding b{"node-setup-unsupported", translate::Severity::Warning, kWs + "/clusters/c", "setup task", "use an image"};
  store->replace_findings("translate", {a, b});
  const auto first = finding_rowids(db);
  REQUIRE(first.size() == 2);
  const auto first_seen = store->findings()[0].first_seen;

  translate::Finding b2 = b;
  b2.remedy = "build a custom image";  // the same finding, a new remedy: updated in place
  b2.source_id = kWs + "/clusters/C";  // ids compare without regard to case
  const translate::Finding c{"job-finished", translate::Severity::Info, kWs + "/experiments/e/jobs/c", "The job failed.", "none"};
  store->replace_findings("translate", {c, a, b2, a});
  const auto second = finding_rowids(db);
  REQUIRE(second.size() == 3);
  for (const auto& [rowid, code] : first) CHECK(second.count(rowid));  // a and b were not rewritten
  auto stored = store->findings();
  REQUIRE(stored.size() == 3);
  for (const auto& f : stored) CHECK((f.finding.message == "The job failed." || f.first_seen == first_seen));
  const auto kept_b = std::find_if(stored.begin(), stored.end(), [](const auto& f) { return f.finding.code == "node-setup-unsupported"; });
  REQUIRE(kept_b != stored.end());
  CHECK(kept_b->finding.remedy == "build a custom image");
  CHECK(kept_b->finding.source_id == kWs + "/clusters/C");
  CHECK(store->finding_counts() == std::map<std::string, std::int64_t>{{"info", 2}, {"warning", 1}});

  store->replace_findings("translate", {c});
  stored = store->findings();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].finding.source_id == c.source_id);
  // History: raised once each, cleared once, nothing for the findings that stayed.
  const auto events_b = store->finding_events(b.source_id);
  REQUIRE(events_b.size() == 2);
  CHECK(events_b[0].event == "raised");
  CHECK(events_b[1].event == "cleared");
  const auto events_c = store->finding_events(c.source_id);
  REQUIRE(events_c.size() == 1);
  CHECK(events_c[0].event == "raised");
}

TEST_CASE("observed_tags reads ids, tags and ownership without the bodies, and the inventory reads by id") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  const json compute = {{"id", kAml + "/computes/x"}, {"tags", {{"bai2aml-source", "s1"}}},
                        {"properties", {{"provisioningState", "Succeeded"}, {"properties", {{"vmSize", "STANDARD_NC6"}}}}}};
  const json job = {{"id", kAml + "/jobs/j"}, {"tags", "not an object"},
                    {"properties", {{"tags", {{"bai2aml-source", "s2"}}}, {"command", "python train.py"}}}};
  store->replace_observed({{kAml + "/computes/x", "compute", compute, "Succeeded", true, ""},
                           {kAml + "/jobs/j", "job", job, "Completed", false, ""}});
  const auto rows = store->observed_tags();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].body == json{{"id", kAml + "/computes/x"}, {"tags", {{"bai2aml-source", "s1"}}}, {"properties", {{"tags", json::object()}}}});
  CHECK(rows[0].owned);
  CHECK(rows[0].provisioning_state == "Succeeded");
  CHECK(rows[1].body == json{{"id", kAml + "/jobs/j"}, {"tags", json::object()}, {"properties", {{"tags", {{"bai2aml-source", "s2"}}}}}});
  CHECK_FALSE(rows[1].owned);

  const json a = {{"id", kWs + "/clusters/a"}, {"properties", {{"vmSize", "STANDARD_NC6"}}}};
  const json b = {{"id", kWs + "/clusters/b"}, {"properties", {{"vmSize", "STANDARD_NC12"}}}};
  store->replace_inventory({b, a}, at(1700000000));
  CHECK(store->inventory_ids() == std::vector<std::string>{kWs + "/clusters/a", kWs + "/clusters/b"});
  const auto items = store->inventory_items({kWs + "/clusters/B", kWs + "/clusters/gone"});
  REQUIRE(items.size() == 1);
  CHECK(items[0].body == b);
}

TEST_CASE("replace_inventory rewrites only the rows whose content changed") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  const json a = {{"id", kWs + "/clusters/a"}, {"properties", {{"vmSize", "STANDARD_NC6"}}}};
  const json b = {{"id", kWs + "/clusters/b"}, {"properties", {{"vmSize", "STANDARD_NC6"}}}};
  const json c = {{"id", kWs + "/clusters/c"}, {"properties", {{"vmSize", "STANDARD_NC6"}}}};
  store->replace_inventory({a, b, c}, at(1700000000));
  json b2 = b;
  b2["properties"]["vmSize"] = "STANDARD_NC12";
  json a_recased = a;
  a_recased["id"] = kWs + "/clusters/A";
  const json d = {{"id", kWs + "/clusters/d"}, {"properties", {{"vmSize", "STANDARD_NC6"}}}};
  store->replace_inventory({c, b2, d}, at(1700000100));
  auto items = by_id(store->inventory());
  REQUIRE(items.size() == 3);
  CHECK(items.count(kWs + "/clusters/a") == 0);                         // gone from the source: deleted
  CHECK(items[kWs + "/clusters/c"].fetched_at == "2023-11-14T22:13:20Z");  // unchanged: not rewritten
  CHECK(items[kWs + "/clusters/b"].fetched_at == "2023-11-14T22:15:00Z");  // changed: rewritten
  CHECK(items[kWs + "/clusters/b"].body["properties"]["vmSize"] == "STANDARD_NC12");
  CHECK(items[kWs + "/clusters/d"].fetched_at == "2023-11-14T22:15:00Z");  // new
  // The same id in another case is the same resource, stored with the id as now read.
  store->replace_inventory({c, b2, d, a}, at(1700000200));
  store->replace_inventory({c, b2, d, a_recased}, at(1700000300));
  items = by_id(store->inventory());
  REQUIRE(items.size() == 4);
  CHECK(items.count(kWs + "/clusters/A") == 1);
  // A later duplicate wins, as it always did.
  store->replace_inventory({b, b2}, at(1700000400));
  REQUIRE(store->inventory().size() == 1);
  CHECK(store->inventory()[0].body["properties"]["vmSize"] == "STANDARD_NC12");
}

TEST_CASE("replace_observed keeps unchanged rows as they were, rewrites changed ones and drops vanished ones") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  state::ObservedRecord x{kAml + "/computes/x", "compute", {{"properties", {{"provisioningState", "Succeeded"}}}}, "Succeeded", true,
                          "2024-01-01T00:00:00Z"};
  state::ObservedRecord y{kAml + "/computes/y", "compute", {{"properties", {{"provisioningState", "Creating"}}}}, "Creating", true,
                          "2024-01-01T00:00:00Z"};
  store->replace_observed({x, y});
  x.observed_at = "2024-01-02T00:00:00Z";
  y.observed_at = "2024-01-02T00:00:00Z";
  y.body["properties"]["provisioningState"] = "Succeeded";
  y.provisioning_state = "Succeeded";
  store->replace_observed({x, y});
  auto rows = store->observed();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].observed_at == "2024-01-01T00:00:00Z");  // x: unchanged, not rewritten
  CHECK(rows[1].observed_at == "2024-01-02T00:00:00Z");  // y: changed
  CHECK(rows[1].provisioning_state == "Succeeded");
  x.owned = false;  // ownership alone changed: rewritten too
  store->replace_observed({x});
  rows = store->observed();
  REQUIRE(rows.size() == 1);
  CHECK_FALSE(rows[0].owned);
}

TEST_CASE("put_statuses writes only the statuses that changed") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  state::ResourceStatus s1{kAml, "workspace", "pending", "Waiting", "", "h", 0, std::nullopt, "2024-01-01T00:00:00Z"};
  state::ResourceStatus s2{kAml + "/computes/c", "compute", "pending", "Waiting", "", "h", 0, std::nullopt, "2024-01-01T00:00:00Z"};
  store->put_statuses({s1, s2});
  s1.last_transition_at = s2.last_transition_at = "2024-01-02T00:00:00Z";
  s2.state = "in_sync";
  s2.reason = "Succeeded";
  store->put_statuses({s1, s2});
  const auto rows = store->statuses();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].last_transition_at == "2024-01-01T00:00:00Z");
  CHECK(rows[1].state == "in_sync");
  CHECK(rows[1].last_transition_at == "2024-01-02T00:00:00Z");
}

TEST_CASE("journal compaction drops superseded finished rows and keeps every latest answer, open rows and retirements") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  const std::string c = kAml + "/computes/c";
  auto finished = [&](const state::Operation& o, const std::string& final_state) {
    const auto id = store->journal_intent(o);
    store->journal_sent(id, 200, std::nullopt);
    store->journal_finished(id, final_state, 200, std::nullopt, std::nullopt);
    return id;
  };
  const auto create = finished(op(c, "create", "PUT", "h1"), "succeeded");
  const auto update1 = finished(op(c, "update", "PUT", "h2"), "succeeded");
  const auto update2 = finished(op(c, "update", "PUT", "h2"), "succeeded");  // the same spec again
  const auto failed1 = finished(op(c, "update", "PUT", "h3"), "failed");
  const auto failed2 = finished(op(c, "update", "PUT", "h3"), "failed");
  const auto open = store->journal_intent(op(c, "update", "PUT", "h3"));
  const auto retire1 = finished(op(kWs, "retire-source", "DELETE", ""), "failed");
  const auto retire2 = finished(op(kWs, "retire-source", "DELETE", ""), "failed");
  store->append_audit({0, "", update1, c, "PUT", "u", "h2", "c", 200, "succeeded", 1});

  CHECK(store->compact_journal({"retire-source", "terminate-source"}) == 2);
  std::set<std::int64_t> kept;
  for (const auto& o : store->operations_for(c)) kept.insert(o.op_id);
  for (const auto& o : store->operations_for(kWs)) kept.insert(o.op_id);
  CHECK(kept == std::set<std::int64_t>{create, update2, failed2, open, retire1, retire2});
  // The latest succeeded write (the spec last applied) is the same as before.
  CHECK(store->operations_in_state("succeeded").back().op_id == update2);
  CHECK(store->open_operations().size() == 1);
  CHECK(store->audit_log().size() == 1);  // the audit log is never compacted
  CHECK(store->compact_journal({"retire-source", "terminate-source"}) == 0);
  (void)update1;
  (void)failed1;
}
