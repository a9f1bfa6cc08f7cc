#include "daemon/status_summary.hpp"

#include "daemon/logging.hpp"
#include "daemon/status_projection.hpp"

#include <string_view>

namespace bai2aml::daemon {
namespace {

constexpr std::size_t kMaxErrorChars = 160;

void add_count(std::string& line, std::int64_t n, const char* what) {
  if (n > 0) line += ", " + std::to_string(n) + " " + what;
}

}  // namespace

std::string status_summary_line(const StatusSnapshot& s) {
  const ResourceCounts& r = s.resources;
  std::string line = std::string(to_string(s.phase)) + ": " + std::to_string(r.in_sync) + "/" +
                     std::to_string(r.total) + " in sync";
  add_count(line, r.pending, "pending");
  add_count(line, r.failed, "failed");
  add_count(line, r.blocked, "blocked");
  line += ", " + cutoff_countdown(s.cutoff, s.updated_at);
  if (completion_after_cutoff_warning(s.projected_completion, s.cutoff)) line += ", projected completion after cutoff";
  if (s.phase == Phase::Degraded && s.last_error) {
    std::string error = redact_secrets(*s.last_error);
    for (char& c : error)
      if (c == '\n' || c == '\r') c = ' ';
    if (error.size() > kMaxErrorChars) {
      // Cut on a character boundary: systemd ignores a STATUS= that is not valid UTF-8.
      std::size_t cut = kMaxErrorChars;
      while (cut > 0 && (static_cast<unsigned char>(error[cut]) & 0xC0) == 0x80) --cut;
      error = error.substr(0, cut) + "...";
    }
    line += "; last error: " + error;
  }
  return line;
}

}  // namespace bai2aml::daemon
