// Stable content hashes (SHA-256, hex) of specs and request bodies, for the journal and the diff.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace bai2aml::state {

std::string sha256_hex(const std::string& data);
// nlohmann::json keeps object keys sorted, so dump() is canonical for equal documents.
inline std::string json_hash(const nlohmann::json& j) { return sha256_hex(j.dump()); }

}  // namespace bai2aml::state
