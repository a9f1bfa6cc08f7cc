// Crash safety at scale (issue #6): the real daemon is SIGKILLed again and again while it migrates a
// generated estate of a few hundred resources; every restart must pick up the journal where the dead
// process left it, and the end state must be exactly the desired one, each job submitted once.
#include <signal.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <regex>
#include <set>

#include "bench/common/inventory_generator.hpp"
#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;

namespace {

// The kill points must be the same on every machine and every run, so no std:: distribution
// (their output is implementation-defined).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  long between(long lo, long hi) { return lo + static_cast<long>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }

 private:
  std::uint64_t s_;
};

// The generator's storage accounts are acct0..acct2; without their keys the mounts would become
// findings instead of datastores, and the datastores are part of what must survive the crashes.
constexpr int kStorageAccounts = 3;

std::string generated_seed_with_ample_quota(std::size_t resources) {
  bai2aml::bench::GeneratorOptions options;
  options.resources = resources;
  options.seed = 6;
  options.include_secrets = false;  // as the Batch AI API serves them
  auto seed = bai2aml::bench::generate_seed(options);
  // The quota pre-flight would hold computes back (blocked, not written), which is not what this test is about.
  seed["quotas"] = nlohmann::json::parse(sample_seed_with_ample_quota())["quotas"];
  return seed.dump();
}

struct Row {
  std::string resource_id, method, state;
};

// The journal and audit log as the daemon left them, read with SQLite directly rather than through
// state::Store, so the check does not rely on the code under test to read its own records.
std::vector<Row> query(const std::string& db_path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  INFO(sqlite3_errmsg(db));
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
  std::vector<Row> rows;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    auto text = [&](int i) {
      const auto* p = sqlite3_column_text(st, i);
      return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    };
    rows.push_back({text(0), text(1), text(2)});
  }
  CHECK(rc == SQLITE_DONE);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

bool is_aml_job(const std::string& id) {
  static const std::regex job(R"(/providers/microsoft\.machinelearningservices/workspaces/[^/]+/jobs/[^/]+$)",
                              std::regex::icase);
  return std::regex_search(id, job);
}

}  // namespace

TEST_CASE(
    "a process killed with SIGKILL at random points while migrating a few hundred resources converges with no "
    "duplicate and no missing resource") {
  const auto t0 = std::chrono::steady_clock::now();
  // LROs long enough that kills land while computes and workspaces are still being polled, and some
  // latency so that requests are in flight when the kill comes.
  EmulatorProcess emulator(generated_seed_with_ample_quota(480), {"--lro-ms", "400", "--latency-ms", "10"});
  E2eBench bench(emulator);
  auto cfg = bench.config_json();
  cfg["mapping"]["storage_keys"] = nlohmann::json::object();
  for (int a = 0; a < kStorageAccounts; ++a) {
    const std::string key_file = bench.file("storage-acct" + std::to_string(a));
    write_file(key_file, "ZTJlLWtleQ==\n");
    cfg["mapping"]["storage_keys"]["acct" + std::to_string(a)] = key_file;
  }
  bench.write_config(cfg);

  // Fixed seed: a failure reproduces with the same kill points (cumulative emulator write counts).
  SplitMix64 rng(0x6b696c6cULL);
  constexpr int kKills = 4;
  std::vector<long> kill_at;
  std::set<std::string> desired;
  for (int k = 0; k < kKills; ++k) {
    const std::string n = std::to_string(k + 1);
    ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()}, {}, bench.file("run" + n + ".out"),
                     bench.file("run" + n + ".err"));
    if (k == 0) {
      // The desired state is stored before the first write; its size scales the kill points so that
      // they spread over the whole migration whatever the generator yields.
      REQUIRE(eventually([&] { return write_requests(emulator) >= 1; }, std::chrono::seconds(60)));
      desired = desired_ids(bench);
      REQUIRE(desired.size() >= 300);
      // One kill in each stretch of the migration, so that some land early, while workspaces and
      // computes are still long-running operations, and some while jobs are being submitted.
      const long total = static_cast<long>(desired.size()), lo = total * 3 / 100, hi = total * 85 / 100;
      const long stretch = (hi - lo) / kKills;
      for (int i = 0; i < kKills; ++i) kill_at.push_back(rng.between(lo + i * stretch, lo + (i + 1) * stretch - 1));
      // Each restarted process must write at least once before it is killed again.
      for (int i = 1; i < kKills; ++i) kill_at[i] = std::max(kill_at[i], kill_at[i - 1] + 1);
    }
    INFO("kill " << n << " at write " << kill_at[static_cast<std::size_t>(k)]);
    REQUIRE(eventually([&] { return write_requests(emulator) >= kill_at[static_cast<std::size_t>(k)]; },
                       std::chrono::seconds(60)));
    run.signal(SIGKILL);
    REQUIRE(run.wait() == 128 + SIGKILL);
  }
  const long writes_before_apply = write_requests(emulator);

  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "120"}, 180);
  INFO(r.err.substr(r.err.size() > 3000 ? r.err.size() - 3000 : 0));
  REQUIRE(r.exit_code == 0);

  auto st = bench.status();
  CHECK(st["phase"] == "converged");
  CHECK(st["resources"]["pending"] == 0);
  CHECK(st["resources"]["failed"] == 0);

  // No missing and no extra resource; and no id twice (ids differing only in case are one ARM resource).
  const auto live = aml_resource_ids(emulator);
  CHECK(lower_set(live).size() == live.size());
  CHECK(desired_ids(bench) == desired);  // the kills did not change what is desired
  CHECK_SAME_IDS(live, desired);

  // Jobs: the emulator holds exactly one per desired job, and the journal shows at most one PUT that
  // succeeded per job. A job whose PUT landed but whose answer died with the process has no succeeded
  // row; the restarted daemon must find it observed, not submit it again.
  std::set<std::string> desired_jobs, live_jobs;
  for (const auto& id : desired)
    if (is_aml_job(id)) desired_jobs.insert(lower(id));
  for (const auto& id : live)
    if (is_aml_job(id)) live_jobs.insert(lower(id));
  CHECK(desired_jobs.size() >= 100);
  CHECK(live_jobs == desired_jobs);

  const std::string db = bench.file("bai2aml.db");
  std::map<std::string, int> succeeded_job_puts;
  int abandoned = 0, open = 0;
  for (const auto& row : query(db, "SELECT resource_id, method, state FROM operations ORDER BY op_id")) {
    if (row.state == "intent" || row.state == "sent" || row.state == "polling") ++open;
    if (row.state == "abandoned") ++abandoned;
    if (is_aml_job(row.resource_id) && row.method == "PUT" && row.state == "succeeded")
      ++succeeded_job_puts[lower(row.resource_id)];
  }
  CHECK(open == 0);
  // Every job is journalled as submitted, also those whose PUT's answer a kill swallowed (recorded
  // once AML listed them), so none can ever be sent again.
  CHECK(succeeded_job_puts.size() == desired_jobs.size());
  for (const auto& [id, n] : succeeded_job_puts) {
    INFO(id);
    CHECK(n == 1);
    CHECK(desired_jobs.count(id) == 1);
  }
  // The audit log has one row per write answered (a request whose answer a kill swallowed leaves
  // none), so a job audited twice as a PUT was sent twice.
  std::map<std::string, int> audited_job_puts;
  const auto audit = query(db, "SELECT resource_id, method, outcome FROM audit_log ORDER BY seq");
  CHECK(audit.size() >= static_cast<std::size_t>(desired.size()) * 3 / 4);  // kills swallow a few answers only
  CHECK(audit.size() <= static_cast<std::size_t>(write_requests(emulator)));
  for (const auto& row : audit)
    if (is_aml_job(row.resource_id) && row.method == "PUT") ++audited_job_puts[lower(row.resource_id)];
  for (const auto& [id, n] : audited_job_puts) {
    INFO(id);
    CHECK(n == 1);
  }

  // What each restart found open in the journal, as it logged it (for the summary line only).
  auto resumed_in = [](const std::string& log) {
    std::smatch m;
    return std::regex_search(log, m, std::regex(R"((\d+) journalled operation\(s\) resumed)")) ? m[1].str() : "0";
  };
  std::string resumed;
  for (int k = 2; k <= kKills; ++k)
    resumed += ' ' + resumed_in(read_file(bench.file("run" + std::to_string(k) + ".err")));
  resumed += ' ' + resumed_in(r.err);

  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "crash/resume: " << desired.size() << " desired AML resources (" << desired_jobs.size()
            << " jobs), kills at writes";
  for (long w : kill_at) std::cout << ' ' << w;
  std::cout << ", " << writes_before_apply << " writes before the final apply, " << write_requests(emulator)
            << " in all, " << abandoned << " journal rows abandoned, operations resumed per restart:" << resumed
            << ", " << succeeded_job_puts.size() << " jobs with a succeeded PUT, " << audit.size() << " audit rows, "
            << ms / 1000.0 << " s\n";
}
