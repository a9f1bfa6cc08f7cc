// The status file of DESIGN.md §4.3, rendered from a StatusSnapshot.
#pragma once

#include "daemon/status_snapshot.hpp"

#include <nlohmann/json.hpp>

namespace bai2aml::daemon {

// Exactly the keys and types of §4.3: times as RFC 3339 UTC with whole seconds, seconds_to_cutoff
// derived from cutoff and updated_at, projected_completion and last_error null when absent.
// source.fetched_at is always a date-time, as §4.3 types it (no "| null" there, unlike
// projected_completion): before the inventory was ever read it is the Unix epoch,
// 1970-01-01T00:00:00Z, which reads as "never" (Batch AI did not exist then) and makes an age
// alert on it fire, rightly, while there is no inventory at all.
// last_error passes through redact_secrets() as a safeguard.
nlohmann::json status_to_json(const StatusSnapshot& s);

// status_to_json(s) as the file's text: two-space indentation and a final newline.
std::string status_json_text(const StatusSnapshot& s);

}  // namespace bai2aml::daemon
