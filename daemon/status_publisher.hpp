// What the run loop calls to publish its figures everywhere: the status file, the Prometheus
// textfile, sd_notify STATUS= and the log. The one publishing path of the daemon.
#pragma once

#include "config/config.hpp"
#include "daemon/notify.hpp"
#include "daemon/status_snapshot.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace bai2aml::daemon {

// What the log line of a finished pass adds to the snapshot's figures.
struct CycleFacts {
  std::int64_t writes = 0;           // write requests sent in the pass
  std::optional<std::string> error;  // why the pass could not complete
};

class StatusPublisher {
 public:
  // `notifier` must outlive the publisher.
  StatusPublisher(config::Status paths, Notifier& notifier) : paths_(std::move(paths)), notifier_(notifier) {}

  // A reloaded config may move the files; the next publish writes the new paths.
  void set_paths(config::Status paths) { paths_ = std::move(paths); }

  // Writes both status files from `s` as it is (projected_completion included: it comes from the
  // recorded cycles, see store_status), sends STATUS=<summary line> and logs the summary: for a
  // finished pass (`cycle`) "cycle N: <summary>; W write(s)" at info, at warning with its error;
  // without one (the publication at start-up) "state loaded: <summary>".
  //
  // Logs a warning when the projection comes to fall after the cutoff and info when it is back
  // before it: on the change only, not every cycle. A pass without a projection (no measurable
  // throughput yet) changes nothing, so an estimate that comes and goes does not repeat the warning.
  //
  // A file that cannot be written is logged as an error and reported by returning false; the
  // daemon carries on.
  bool publish(const StatusSnapshot& s, const std::optional<CycleFacts>& cycle = std::nullopt);

  // The same files and STATUS= while a pass is still running (`s` holds its figures so far); the
  // log gets `line` at info once a minute (debug otherwise), so a long pass does not flood it.
  bool publish_progress(const StatusSnapshot& s, const std::string& line);

 private:
  bool write_files(const StatusSnapshot& s);  // false (logged) when a file cannot be written
  config::Status paths_;
  Notifier& notifier_;
  bool late_ = false;  // the last projection seen fell after the cutoff
  std::chrono::steady_clock::time_point last_progress_log_ = std::chrono::steady_clock::now();
};

}  // namespace bai2aml::daemon
