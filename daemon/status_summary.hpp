// The one-line summary sent as sd_notify STATUS= (what `systemctl status bai2aml` shows) and logged
// at the end of every cycle.
#pragma once

#include "daemon/status_snapshot.hpp"

#include <string>

namespace bai2aml::daemon {

// "converging: 812/1000 in sync, 185 pending, 3 failed, 125 days to cutoff"; zero pending, failed
// and blocked counts are left out; ", projected completion after cutoff" is added when the projection
// falls after the cutoff; a degraded phase ends with "; last error: <first 160 characters>".
std::string status_summary_line(const StatusSnapshot& s);

}  // namespace bai2aml::daemon
