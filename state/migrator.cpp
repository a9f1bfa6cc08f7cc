#include "state/migrator.hpp"

#include <string>

namespace bai2aml::state::detail {

int migrate(Database& db, const std::vector<Migration>& migrations, const std::string& path) {
  for (std::size_t i = 0; i < migrations.size(); ++i)
    if (migrations[i].version != static_cast<int>(i) + 1)
      throw StoreError("embedded migrations are not numbered 1..N without gaps (at " + std::string(migrations[i].name) + ")");
  const int newest = static_cast<int>(migrations.size());

  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
          "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
  auto current_version = [&] {
    auto st = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    st.step();
    return static_cast<int>(st.integer(0));
  };
  int version = current_version();
  if (version > newest)
    throw StoreError("database \"" + path + "\" has schema version " + std::to_string(version) +
                     ", newer than this bai2aml supports (" + std::to_string(newest) +
                     "); run the bai2aml version that wrote it, or point state.database elsewhere");
  for (const auto& m : migrations) {
    if (m.version <= version) continue;
    Transaction tx(db);
    // Another process may have migrated between our read and our lock: check again inside.
    if (current_version() >= m.version) continue;
    try {
      db.exec(m.sql);
    } catch (const StoreError& e) {
      throw StoreError("migration " + std::string(m.name) + " failed on \"" + path + "\": " + e.what());
    }
    db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)").bind(1, m.version).bind(2, std::string(m.name)).run();
    tx.commit();
    version = m.version;
  }
  return current_version();
}

}  // namespace bai2aml::state::detail
