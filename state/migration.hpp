// A numbered schema migration. The SQL comes from migrations/NNNN_name.sql, compiled into the binary.
#pragma once

#include <string>
#include <vector>

namespace bai2aml::state {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// In ascending version order, without gaps (checked by the store when it opens).
const std::vector<Migration>& embedded_migrations();

}  // namespace bai2aml::state
