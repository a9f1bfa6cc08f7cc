// A process killed with SIGKILL in the middle of a large write transaction leaves a database that
// opens, passes integrity_check, and holds each transaction whole or not at all.
#include <signal.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <thread>

#include "state/store.hpp"
#include "tests/support/support.hpp"

using namespace bai2aml;
using namespace bai2aml::testing;

TEST_CASE("SIGKILL during a large write transaction leaves the database whole") {
  constexpr int kResources = 20000;
  std::mt19937 rng(std::random_device{}());
  for (int attempt = 0; attempt < 3; ++attempt) {
    TempDir dir;
    const std::string db = dir.file("state.db");
    const std::string out = dir.file("writer.out");
    {
      ChildProcess writer({BAI2AML_CRASH_WRITER, db, std::to_string(kResources)}, {}, out);
      // Wait for a first committed round, then kill at a random point of a later one.
      REQUIRE(eventually([&] {
        try {
          return read_file(out).find("round 1") != std::string::npos;
        } catch (...) {
          return false;
        }
      }, std::chrono::seconds(60)));
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(1, 400)(rng)));
      writer.signal(SIGKILL);
      CHECK(writer.wait() == 128 + SIGKILL);
    }

    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "ok");
    sqlite3_finalize(st);
    sqlite3_close(raw);

    auto store = state::Store::open(db, {true});  // the lock died with the writer
    auto items = store->inventory();
    REQUIRE(items.size() == kResources);  // a round is whole: never a partial replacement
    std::set<int> rounds;
    for (const auto& item : items) rounds.insert(item.body["properties"]["round"].get<int>());
    CHECK(rounds.size() == 1);  // and never a mix of two rounds
  }
}
