// A deterministic fingerprint of a desired body, for the journal ("intent with a body hash") and
// for telling a desired-spec change from an out-of-band edit. Not a security hash.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace bai2aml::reconcile {

// 16 lower-case hex digits: FNV-1a 64 over the canonical dump (object keys sorted).
std::string body_hash(const nlohmann::json& body);

}  // namespace bai2aml::reconcile
