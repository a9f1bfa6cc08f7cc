#include <sqlite3.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "state/migration.hpp"
#include "state/store.hpp"
#include "tests/support/support.hpp"

using namespace bai2aml;
using namespace bai2aml::testing;

namespace {

void exec_raw(const std::string& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(raw);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("migrations are embedded, numbered without gaps") {
  const auto& all = state::embedded_migrations();
  REQUIRE(all.size() >= 2);
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].version == static_cast<int>(i) + 1);
}

TEST_CASE("a fresh database is created 0600, in WAL mode, at the newest schema") {
  TempDir dir;
  const auto db = dir.file("fresh.db");
  auto store = state::Store::open(db, {});
  CHECK(store->schema_version() == static_cast<int>(state::embedded_migrations().size()));
  struct stat st {};
  REQUIRE(::stat(db.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  store->set_source_status({"live", std::nullopt, std::nullopt});  // a write creates the -wal file
  REQUIRE(::stat((db + "-wal").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("an older schema is upgraded in place, keeping its data") {
  TempDir dir;
  const auto db = dir.file("v1.db");
  // The fixture is the schema and data a bai2aml of schema version 1 left behind.
  exec_raw(db, read_file(std::string(BAI2AML_STATE_FIXTURES) + "/schema_v1.sql"));
  auto store = state::Store::open(db, {});
  CHECK(store->schema_version() == static_cast<int>(state::embedded_migrations().size()));
  auto inv = store->inventory();
  REQUIRE(inv.size() == 2);
  CHECK(inv[0].kind == "cluster");
  auto findings = store->findings();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].finding.code == "nfs-file-server");
  // The tables of version 2 work.
  state::Operation op;
  op.resource_id = "/x";
  op.action = "create";
  op.method = "PUT";
  op.url = "https://management.azure.com/x";
  op.body_hash = "h";
  op.client_request_id = "r";
  CHECK(store->journal_intent(op) > 0);
}

TEST_CASE("a database from a newer bai2aml is refused") {
  TempDir dir;
  const auto db = dir.file("new.db");
  { state::Store::open(db, {}); }
  exec_raw(db, "INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future')");
  try {
    state::Store::open(db, {});
    FAIL("opened a database with a newer schema");
  } catch (const state::StoreError& e) {
    CHECK(std::string(e.what()).find("schema version 999, newer than this bai2aml supports") != std::string::npos);
  }
}

TEST_CASE("a file that is not a database is refused with a clear error") {
  TempDir dir;
  const auto db = dir.file("junk.db");
  write_file(db, std::string(8192, 'j'));
  CHECK_THROWS_AS(state::Store::open(db, {}), state::StoreError);
}
