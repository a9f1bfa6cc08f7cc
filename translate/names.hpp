// AML naming rules (API 2024-04-01) and the deterministic derivation of AML names from Batch AI ones.
//
//   workspace                      ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$ (3-33 characters; the spec's path pattern)
//   compute                        3-24 letters, digits and '-', starting with a letter, every '-' followed
//                                  later by a letter (so no trailing "-<digits>"); unique per region,
//                                  case-insensitively
//   datastore, environment, job    ^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$ (the spec's PUT path pattern)
//
// When sanitizing or truncating changes a name, or names collide, a suffix made of the short hash of
// the source is appended: "-" + hash for every rule but compute, "-c" + hash for computes (so the
// suffix always holds a letter). The hash is the first 6 hex digits of FNV-1a 64 of the lower-cased
// source id.
#pragma once

#include <cstdint>
#include <string>

namespace bai2aml::translate {

enum class NameRule { Workspace, Compute, Datastore, Environment, Job };
const char* to_string(NameRule);  // "workspace", "compute", ...

// "" when valid; otherwise why not, in words.
std::string name_rule_violation(NameRule rule, const std::string& name);

std::uint64_t fnv1a64(const std::string& s);
std::string short_hash(const std::string& source_id);  // 6 lower-case hex digits of fnv1a64(lower(id))

// The suffix appended to a name of this rule to make it unique: "-abc123" or "-cabc123".
std::string hash_suffix(NameRule rule, const std::string& source_id);

struct DerivedName {
  std::string name;
  bool changed = false;  // sanitizing or truncating changed the source name (a hash was appended)
};

// Maps invalid characters away and appends the hash suffix when anything changed; the result always
// satisfies the rule.
DerivedName derive_name(NameRule rule, const std::string& source_name, const std::string& source_id);

// `base` (already valid or not) shortened so that base + suffix fits the rule, then suffixed.
std::string with_hash(NameRule rule, const std::string& base, const std::string& source_id);

}  // namespace bai2aml::translate
