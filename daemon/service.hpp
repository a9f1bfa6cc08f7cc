// The long-running side of bai2aml: `run` (the daemon) and `apply` (cycles until converged) share
// this loop. One Boost.Asio io_context drives the reconcile passes, the watchdog, the signals and
// the status files; nothing blocks it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "config/config.hpp"

namespace bai2aml::daemon {

// How a pass in progress shows on the console: plain log lines (journald, pipes), or one status line
// kept up to date on the terminal (`--progress tty`; the default when stdout is a terminal).
enum class ProgressDisplay { Plain, Terminal };

struct ServiceOptions {
  std::string config_path;  // reread on SIGHUP
  bool until_converged = false;            // apply: exit after the first converged pass
  std::optional<int> timeout_seconds;      // apply: give up after this long (exit 3)
  std::chrono::seconds drain_deadline{20};  // SIGTERM: how long in-flight writes may take to finish
  ProgressDisplay progress_display = ProgressDisplay::Plain;
  // While a pass runs, the status files and STATUS= are refreshed this often with its figures so far.
  std::chrono::milliseconds status_interval{2000};
};

// Returns the process exit code (cli.hpp). Throws state::StoreError when the database cannot be
// opened or is owned by another process.
int run_service(const config::Config& cfg, const ServiceOptions& options);

}  // namespace bai2aml::daemon
