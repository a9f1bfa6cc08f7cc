// issue 14: an exception in the middle of a pass (here: SQLite "database is locked", because another
// process holds the write lock longer than the busy timeout) ends that pass, degraded, with the
// error in status; it does not end the daemon, which used to exit 1 and fail again at each restart.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;
using nlohmann::json;

namespace {

// Another process's write lock on the database (in WAL mode readers go on; writers wait, then fail).
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  void release() {
    if (!db_) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }
  ~WriteLock() { release(); }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

TEST_CASE("a pass that throws (the database locked by another process) ends degraded - the daemon goes on and converges") {
  EmulatorProcess emulator(sample_seed_with_ample_quota());
  E2eBench bench(emulator);
  const auto first = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "120"}, 150);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);

  WriteLock lock(bench.config_json()["state"]["database"].get<std::string>());
  ChildProcess apply({BAI2AML_BIN, "apply", "--config", bench.config_path(), "--timeout", "90"}, {}, bench.file("apply.out"),
                     bench.file("apply.err"));
  const bool failed_once = eventually(
      [&] { return read_file(bench.file("apply.err")).find("database is locked") != std::string::npos; },
      std::chrono::seconds(30));
  lock.release();
  const int code = apply.wait(std::chrono::seconds(100));
  const std::string err = read_file(bench.file("apply.err"));
  INFO(err.substr(err.size() > 6000 ? err.size() - 6000 : 0));
  CHECK(failed_once);
  CHECK(code == 0);
  CHECK(err.find("ends here") != std::string::npos);
}
