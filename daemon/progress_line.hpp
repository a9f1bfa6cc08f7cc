// The one-line picture of a pass in progress, for the terminal's status line and the log: pure, so
// the wording and the ETA arithmetic are tested without a terminal or a clock.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "daemon/pass_progress.hpp"

namespace bai2aml::daemon {

// The time the remaining writes will take at this pass's measured pace (writes finished per second
// since the executor got the plan); nullopt before the first write finished or when none remain.
std::optional<std::chrono::seconds> estimate_remaining(const PassProgress& p, std::chrono::steady_clock::time_point now);

// "3m05s", "42s", "2h10m": a short duration for people.
std::string short_duration(std::chrono::seconds d);

// e.g. "pass 3 executing: 812/1000 in sync, 2 failed, 5 blocked; writes 120/400, 14 in flight;
// 3 throttled; ETA 2m10s". `throttled` counts the 429 answers the daemon received so far.
std::string progress_line(const PassProgress& p, std::uint64_t throttled, std::chrono::steady_clock::time_point now);

}  // namespace bai2aml::daemon
