#include <unistd.h>
#include <catch2/catch.hpp>

#include "state/content_hash.hpp"
#include "state/store.hpp"
#include "tests/support/support.hpp"

using namespace bai2aml;
using namespace bai2aml::testing;
using nlohmann::json;

namespace {
const std::string kWs = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/ws";
const std::string kAml = "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml/providers/Microsoft.MachineLearningServices/workspaces/ws";
}  // namespace

TEST_CASE("inventory round-trips, keyed case-insensitively, without secrets") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  const json cluster = {{"id", kWs + "/clusters/c1"},
                        {"properties",
                         {{"vmSize", "STANDARD_NC6"},
                          {"userAccountSettings", {{"adminUserName", "u"}, {"adminUserPassword", "hunter2"}}}}}};
  const json job = {{"id", kWs + "/experiments/e/jobs/j1"}, {"properties", {{"nodeCount", 2}}}};
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  store->replace_inventory({cluster, job}, t);
  auto items = store->inventory();
  REQUIRE(items.size() == 2);
  CHECK(items[0].kind == "cluster");
  CHECK(items[1].kind == "job");
  CHECK(items[0].fetched_at == "2023-11-14T22:13:20Z");
  CHECK(items[0].body["properties"]["vmSize"] == "STANDARD_NC6");
  CHECK(items[0].body.dump().find("hunter2") == std::string::npos);
  // Replacing is whole: resources gone from the source are gone from the snapshot.
  store->replace_inventory({job}, t);
  CHECK(store->inventory().size() == 1);
  // A resource without an id is refused, and the previous snapshot stays.
  CHECK_THROWS_AS(store->replace_inventory({json{{"name", "x"}}}, t), state::StoreError);
  CHECK(store->inventory().size() == 1);
}

TEST_CASE("source status round-trips") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  CHECK(store->source_status().mode == "live");
  store->set_source_status({"snapshot", std::string("2026-01-01T00:00:00Z"), std::string("Batch AI is retired")});
  auto s = store->source_status();
  CHECK(s.mode == "snapshot");
  CHECK(s.fetched_at == std::string("2026-01-01T00:00:00Z"));
  CHECK(s.last_error == std::string("Batch AI is retired"));
}

TEST_CASE("desired resources round-trip with a spec hash that only changes with the spec") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  translate::DesiredResource ws{translate::Kind::Workspace, kAml, kWs, {{"location", "eastus"}}, {}};
  translate::DesiredResource c{translate::Kind::Compute, kAml + "/computes/c1", kWs + "/clusters/c1",
                               {{"properties", {{"computeType", "AmlCompute"}}}}, {kAml}};
  store->replace_desired({ws, c});
  auto d = store->desired();
  REQUIRE(d.size() == 2);
  CHECK(d[0].resource.kind == translate::Kind::Workspace);
  CHECK(d[1].resource.kind == translate::Kind::Compute);
  CHECK(d[1].resource.depends_on == std::vector<std::string>{kAml});
  CHECK(d[1].resource.body == c.body);
  CHECK(d[1].spec_hash == state::json_hash(c.body));
  c.body["properties"]["x"] = 1;
  store->replace_desired({ws, c});
  auto d2 = store->desired();
  CHECK(d2[0].spec_hash == d[0].spec_hash);
  CHECK(d2[1].spec_hash != d[1].spec_hash);
}

TEST_CASE("observed resources round-trip") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  store->replace_observed({{kAml, "workspace", {{"name", "ws"}}, "Succeeded", false, ""}});
  auto o = store->observed();
  REQUIRE(o.size() == 1);
  CHECK(o[0].provisioning_state == "Succeeded");
  CHECK_FALSE(o[0].owned);
  CHECK_FALSE(o[0].observed_at.empty());
}

TEST_CASE("findings are replaced per origin and keep first_seen") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  translate::Finding f{"nfs-file-server", translate::Severity::Error, kWs + "/fileServers/fs", "NFS", "copy it"};
  translate::Finding g{"quota-insufficient", translate::Severity::Warning, kWs + "/clusters/c", "no cores", "ask"};
  store->replace_findings("translate", {f});
  store->replace_findings("reconcile", {g});
  auto all = store->findings();
  REQUIRE(all.size() == 2);
  const auto first_seen = all[0].first_seen;
  store->replace_findings("translate", {f});
  all = store->findings();
  REQUIRE(all.size() == 2);
  CHECK(all[0].first_seen == first_seen);
  store->replace_findings("reconcile", {});
  all = store->findings();
  REQUIRE(all.size() == 1);
  CHECK(all[0].finding.code == "nfs-file-server");
  CHECK(all[0].finding.severity == translate::Severity::Error);
}

TEST_CASE("the journal records intent, sending and the outcome") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  state::Operation op;
  op.resource_id = kAml + "/computes/c1";
  op.action = "create";
  op.method = "PUT";
  op.url = "https://management.azure.com" + op.resource_id + "?api-version=2024-04-01";
  op.body_hash = "abc";
  op.client_request_id = "req-1";
  const auto id = store->journal_intent(op);
  auto open = store->open_operations();
  REQUIRE(open.size() == 1);
  CHECK(open[0].state == "intent");
  store->journal_sent(id, 201, std::string("https://management.azure.com/op/1"));
  open = store->open_operations();
  REQUIRE(open.size() == 1);
  CHECK(open[0].state == "polling");
  CHECK(open[0].poll_url == std::string("https://management.azure.com/op/1"));
  CHECK(open[0].attempts == 1);
  store->journal_finished(id, "succeeded", 200, std::nullopt, std::nullopt);
  CHECK(store->open_operations().empty());
  auto all = store->operations_for(op.resource_id);
  REQUIRE(all.size() == 1);
  CHECK(all[0].state == "succeeded");
  CHECK(all[0].http_status == 200);
  CHECK(store->operations_with_action("create").size() == 1);
  CHECK(store->operations_with_action("retire-source").empty());
  CHECK_THROWS_AS(store->journal_finished(id, "maybe", std::nullopt, std::nullopt, std::nullopt), state::StoreError);
  CHECK_THROWS_AS(store->journal_sent(999, 200, std::nullopt), state::StoreError);
}

TEST_CASE("the audit log is append-only") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  state::AuditRecord r;
  r.resource_id = kAml;
  r.method = "PUT";
  r.url = "u";
  r.body_hash = "h";
  r.client_request_id = "c";
  r.http_status = 201;
  r.outcome = "accepted";
  r.duration_ms = 12;
  store->append_audit(r);
  store->append_audit(r);
  auto log = store->audit_log();
  REQUIRE(log.size() == 2);
  CHECK(log[1].seq > log[0].seq);
  CHECK(log[0].http_status == 201);
}

TEST_CASE("resource status is not rewritten when equivalent") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  state::ResourceStatus s{kAml, "workspace", "pending", "Creating", "", "h1", 0, std::nullopt, "2026-01-01T00:00:00Z"};
  store->put_status(s);
  s.last_transition_at = "2026-01-02T00:00:00Z";
  store->put_status(s);  // equivalent: the transition time stays
  CHECK(store->statuses().at(0).last_transition_at == "2026-01-01T00:00:00Z");
  s.state = "in_sync";
  s.reason = "Succeeded";
  store->put_status(s);
  auto all = store->statuses();
  REQUIRE(all.size() == 1);
  CHECK(all[0].state == "in_sync");
  CHECK(all[0].last_transition_at == "2026-01-02T00:00:00Z");
}

TEST_CASE("one process at a time owns a database") {
  TempDir dir;
  const auto db = dir.file("s.db");
  auto owner = state::Store::open(db, {true});
  try {
    state::Store::open(db, {true});
    FAIL("a second exclusive open succeeded");
  } catch (const state::StoreError& e) {
    CHECK(std::string(e.what()).find("in use by another bai2aml process (pid " + std::to_string(::getpid())) !=
          std::string::npos);
  }
  // Readers may open alongside the owner.
  auto reader = state::Store::open(db, {false});
  CHECK(reader->inventory().empty());
  owner.reset();
  CHECK_NOTHROW(state::Store::open(db, {true}));
}

TEST_CASE("transactions roll back on error") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  store->set_source_status({"live", std::nullopt, std::nullopt});
  CHECK_THROWS(store->transaction([&] {
    store->set_source_status({"snapshot", std::nullopt, std::nullopt});
    throw std::runtime_error("boom");
  }));
  CHECK(store->source_status().mode == "live");
}

TEST_CASE("sha256 is the standard digest") {
  CHECK(state::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("cycles are recorded and read back newest first") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  CHECK_FALSE(store->last_cycle());
  store->record_cycle({1, "2026-01-01T00:00:00Z", 1200, "converging", 10, 10, std::nullopt});
  store->record_cycle({2, "2026-01-01T00:01:00Z", 300, "converged", 0, 0, std::nullopt});
  store->record_cycle({3, "2026-01-01T00:02:00Z", 300, "degraded", 1, 0, std::string("source unreadable")});
  CHECK(store->last_cycle()->number == 3);
  CHECK(store->last_cycle()->error == std::string("source unreadable"));
  CHECK(store->last_converged_cycle()->number == 2);
  auto recent = store->recent_cycles(2);
  REQUIRE(recent.size() == 2);
  CHECK(recent[0].number == 3);
  CHECK(recent[1].number == 2);
}

TEST_CASE("every change of a resource's state or reason is kept in status_history") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  state::ResourceStatus s{kAml, "workspace", "pending", "Waiting", "", "h1", 0, std::nullopt, "2026-01-01T00:00:00Z"};
  store->put_status(s);
  s.message = "still waiting";  // same state and reason: not a change
  s.last_transition_at = "2026-01-01T00:01:00Z";
  store->put_status(s);
  s.state = "in_sync";
  s.reason = "Succeeded";
  s.message = "";
  s.last_transition_at = "2026-01-01T00:02:00Z";
  store->put_status(s);
  s.state = "failed";
  s.reason = "QuotaExceeded";
  s.message = "no cores";
  s.last_transition_at = "2026-01-01T00:03:00Z";
  store->put_status(s);
  const auto h = store->status_history(kAml + "/");  // an unknown id
  CHECK(h.empty());
  const auto all = store->status_history(kAml);
  REQUIRE(all.size() == 3);
  CHECK(all[0].state == "pending");
  CHECK(all[0].at == "2026-01-01T00:00:00Z");
  CHECK(all[1].state == "in_sync");
  CHECK(all[1].at == "2026-01-01T00:02:00Z");
  CHECK(all[2].reason == "QuotaExceeded");
  CHECK(all[2].message == "no cores");
}

TEST_CASE("findings raised and cleared are kept as events") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  const translate::Finding nfs{"nfs-file-server", translate::Severity::Error, kWs + "/fileServers/fs", "NFS", "mount it"};
  const translate::Finding drift{"drift-corrected", translate::Severity::Info, kWs + "/clusters/c1", "changed", "none"};
  store->replace_findings("translate", {nfs});
  store->replace_findings("translate", {nfs, nfs});  // kept (and a duplicate): no event
  store->replace_findings("reconcile", {drift});
  store->replace_findings("reconcile", {});
  store->replace_findings("translate", {});
  const auto fs = store->finding_events(kWs + "/FILESERVERS/fs");
  REQUIRE(fs.size() == 2);
  CHECK(fs[0].event == "raised");
  CHECK(fs[0].finding.code == "nfs-file-server");
  CHECK(fs[0].finding.severity == translate::Severity::Error);
  CHECK(fs[1].event == "cleared");
  const auto c1 = store->finding_events(kWs + "/clusters/c1");
  REQUIRE(c1.size() == 2);
  CHECK(c1[0].origin == "reconcile");
  CHECK(c1[1].event == "cleared");
}

TEST_CASE("a cycle records the resource states at its end") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  translate::DesiredResource ws{translate::Kind::Workspace, kAml, kWs, {{"location", "eastus"}}, {}};
  translate::DesiredResource c1{translate::Kind::Compute, kAml + "/computes/c1", kWs + "/clusters/c1", json::object(), {kAml}};
  translate::DesiredResource c2{translate::Kind::Compute, kAml + "/computes/c2", kWs + "/clusters/c2", json::object(), {kAml}};
  store->replace_desired({ws, c1, c2});
  store->put_status({kAml, "workspace", "in_sync", "Succeeded", "", "", 0, std::nullopt, ""});
  store->put_status({kAml + "/computes/c1", "compute", "blocked", "Blocked", "", "", 0, std::nullopt, ""});
  store->put_status({kAml + "/computes/old", "compute", "retired", "Pruned", "", "", 0, std::nullopt, ""});
  store->record_cycle({1, "2026-01-01T00:00:00Z", 1200, "converging", 1, 3, std::nullopt});
  const auto all = store->cycles();
  REQUIRE(all.size() == 1);
  REQUIRE(all[0].states);
  CHECK(all[0].states->in_sync == 1);
  CHECK(all[0].states->blocked == 1);
  CHECK(all[0].states->pending == 1);  // c2 has no status row yet
  CHECK(all[0].states->failed == 0);
  CHECK(all[0].states->retired == 1);
}

TEST_CASE("last_writes gives each resource's latest journalled write with its ARM request id") {
  TempDir dir;
  auto store = state::Store::open(dir.file("s.db"), {});
  state::Operation op;
  op.resource_id = kAml + "/computes/c1";
  op.action = "create";
  op.method = "PUT";
  op.url = "u";
  op.body_hash = "h";
  op.client_request_id = "client-1";
  const auto first = store->journal_intent(op);
  store->journal_finished(first, "succeeded", 200, std::nullopt, std::nullopt);
  op.action = "update";
  op.method = "PATCH";
  op.resource_id = kAml + "/COMPUTES/c1";
  const auto second = store->journal_intent(op);
  state::AuditRecord r;
  r.op_id = second;
  r.resource_id = op.resource_id;
  r.method = "PATCH";
  r.url = "u";
  r.body_hash = "h";
  r.client_request_id = "arm-request-2";
  r.outcome = "succeeded";
  store->append_audit(r);
  store->journal_finished(second, "succeeded", 200, std::nullopt, std::nullopt);
  op.resource_id = kAml;
  op.action = "create";
  store->journal_intent(op);  // never answered: its own client request id
  const auto w = store->last_writes();
  REQUIRE(w.size() == 2);
  CHECK(w[0].resource_id == kAml);
  CHECK(w[0].state == "intent");
  CHECK(w[0].request_id == "client-1");
  CHECK(w[1].action == "update");
  CHECK(w[1].request_id == "arm-request-2");
  CHECK(w[1].http_status == 200);
  CHECK(store->audit_for(kAml + "/computes/C1").size() == 1);
}

TEST_CASE("free text is stored redacted: findings, journal errors, statuses, cycles, source errors") {
  TempDir dir;
  {
    auto store = state::Store::open(dir.file("s.db"), {});
    const std::string cluster = kWs + "/clusters/c1";
    store->replace_findings("translate", {{"node-setup-unsupported", translate::Severity::Warning, cluster,
                                           "The setup task \"export DB_PASSWORD=Leak1\" ran", "remedy"}});
    state::Operation op;
    op.resource_id = kAml + "/computes/c1";
    op.action = "create";
    op.method = "PUT";
    op.url = "https://management.azure.com" + op.resource_id;
    op.body_hash = "abc";
    op.client_request_id = "req-1";
    const auto id = store->journal_intent(op);
    store->journal_finished(id, "failed", 400, std::string("BadRequest"), std::string("HTTP 400: <html>password=Leak2</html>"));
    store->put_status({op.resource_id, "compute", "failed", "BadRequest", "AccountKey=Leak3;x", "h", 1, std::nullopt, ""});
    store->record_cycle({1, "2026-01-01T00:00:00Z", 5, "degraded", 3, 0, std::string("Authorization: Bearer Leak4")});
    store->set_source_status({"snapshot", std::nullopt, std::string("https://u:Leak5@host/x")});

    CHECK(store->findings().at(0).finding.message == "The setup task \"export DB_PASSWORD=***\" ran");
    CHECK(store->operations_for(op.resource_id).at(0).error_message == std::string("HTTP 400: <html>password=***</html>"));
    CHECK(store->statuses().at(0).message == "AccountKey=***;x");
    CHECK(store->last_cycle()->error == std::string("Authorization: Bearer ***"));
    CHECK(store->source_status().last_error == std::string("https://u:***@host/x"));
  }
  std::string bytes = read_file(dir.file("s.db"));
  if (::access(dir.file("s.db-wal").c_str(), F_OK) == 0) bytes += read_file(dir.file("s.db-wal"));
  for (const char* leak : {"Leak1", "Leak2", "Leak3", "Leak4", "Leak5"}) {
    INFO(leak);
    CHECK(bytes.find(leak) == std::string::npos);
  }
}
