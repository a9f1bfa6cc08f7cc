// Applies the embedded schema migrations in order, each in its own transaction, and records them.
#pragma once

#include <vector>

#include "state/migration.hpp"
#include "state/sqlite_db.hpp"

namespace bai2aml::state::detail {

// Returns the schema version after migrating. Refuses (StoreError) a database whose schema is newer
// than the newest migration known, and a migration list with gaps.
int migrate(Database& db, const std::vector<Migration>& migrations, const std::string& path);

}  // namespace bai2aml::state::detail
