// What the run loop calls once per cycle to publish its figures everywhere: the status file, the
// Prometheus textfile, sd_notify STATUS= and the log. It also measures the throughput behind
// projected_completion, so the loop only counts resources and times the cycle.
#pragma once

#include "config/config.hpp"
#include "daemon/notify.hpp"
#include "daemon/status_projection.hpp"
#include "daemon/status_snapshot.hpp"

#include <string>
#include <utility>

namespace bai2aml::daemon {

class StatusPublisher {
 public:
  // `notifier` must outlive the publisher.
  StatusPublisher(config::Status paths, Notifier& notifier, ProgressHistory history = ProgressHistory())
      : paths_(std::move(paths)), notifier_(notifier), history_(std::move(history)) {}

  // Records s.resources.pending + s.resources.failed as the work remaining at s.updated_at, sets
  // s.projected_completion from the throughput measured so far, then writes both status files,
  // sends STATUS=<summary line> and logs the summary at info. Logs a warning when the projection
  // first falls after the cutoff (and info when it is back before it). A file that cannot be
  // written is logged as an error and reported by returning false; the daemon carries on.
  bool publish(StatusSnapshot& s);

 private:
  config::Status paths_;
  Notifier& notifier_;
  ProgressHistory history_;
  bool late_ = false;
};

}  // namespace bai2aml::daemon
