// The status file of DESIGN.md §4.3, rendered from a StatusSnapshot.
#pragma once

#include "daemon/status_snapshot.hpp"

#include <nlohmann/json.hpp>

namespace bai2aml::daemon {

// Exactly the keys and types of §4.3: times as RFC 3339 UTC with whole seconds, seconds_to_cutoff
// derived from cutoff and updated_at, projected_completion and last_error null when absent.
// source.fetched_at is null only before the inventory was ever read (§4.3 has no value for "never").
// last_error passes through redact_secrets() as a safeguard.
nlohmann::json status_to_json(const StatusSnapshot& s);

// status_to_json(s) as the file's text: two-space indentation and a final newline.
std::string status_json_text(const StatusSnapshot& s);

}  // namespace bai2aml::daemon
