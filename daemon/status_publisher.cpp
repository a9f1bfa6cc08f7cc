#include "daemon/status_publisher.hpp"

#include "daemon/status_summary.hpp"
#include "daemon/status_writer.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace bai2aml::daemon {

bool StatusPublisher::publish(StatusSnapshot& s) {
  history_.add(s.updated_at, s.resources.pending + s.resources.failed);
  s.projected_completion = history_.projected_completion();

  const auto late = completion_after_cutoff_warning(s.projected_completion, s.cutoff);
  if (late && !late_) spdlog::warn("{}: at the measured throughput the migration will not finish in time", *late);
  if (!late && late_ && s.projected_completion)
    spdlog::info("projected completion {} is before the cutoff again", format_rfc3339(*s.projected_completion));
  late_ = late.has_value();

  bool written = true;
  try {
    write_status_files(paths_, s);
  } catch (const std::exception& e) {
    spdlog::error("status files not updated: {}", e.what());
    written = false;
  }
  const std::string summary = status_summary_line(s);
  notifier_.status(summary);
  spdlog::info("cycle {}: {}", s.cycle_number, summary);
  return written;
}

}  // namespace bai2aml::daemon
