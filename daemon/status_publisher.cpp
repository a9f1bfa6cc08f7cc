#include "daemon/status_publisher.hpp"

#include "daemon/status_projection.hpp"
#include "daemon/status_summary.hpp"
#include "daemon/status_writer.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace bai2aml::daemon {

bool StatusPublisher::write_files(const StatusSnapshot& s) {
  try {
    write_status_files(paths_, s);
    return true;
  } catch (const std::exception& e) {
    spdlog::error("status files not updated: {}", e.what());
    return false;
  }
}

bool StatusPublisher::publish(const StatusSnapshot& s, const std::optional<CycleFacts>& cycle) {
  if (s.projected_completion) {
    const auto late = completion_after_cutoff_warning(s.projected_completion, s.cutoff);
    if (late && !late_) spdlog::warn("{}: at the measured throughput the migration will not finish in time", *late);
    if (!late && late_)
      spdlog::info("projected completion {} is before the cutoff again", format_rfc3339(*s.projected_completion));
    late_ = late.has_value();
  }

  const bool written = write_files(s);
  const std::string summary = status_summary_line(s);
  notifier_.status(summary);
  if (!cycle)
    spdlog::info("state loaded: {}", summary);
  else if (cycle->error)
    spdlog::warn("cycle {}: {}; {} write(s) ({})", s.cycle_number, summary, cycle->writes, *cycle->error);
  else
    spdlog::info("cycle {}: {}; {} write(s)", s.cycle_number, summary, cycle->writes);
  return written;
}

bool StatusPublisher::publish_progress(const StatusSnapshot& s, const std::string& line) {
  const bool written = write_files(s);
  notifier_.status(status_summary_line(s) + " (" + line + ")");
  // Plain consoles (journald, pipes) get the line once a minute, so a long pass is visibly alive.
  const auto now = std::chrono::steady_clock::now();
  if (now - last_progress_log_ >= std::chrono::minutes(1)) {
    last_progress_log_ = now;
    spdlog::info("{}", line);
  } else {
    spdlog::debug("{}", line);
  }
  return written;
}

}  // namespace bai2aml::daemon
