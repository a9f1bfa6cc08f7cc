// bai2aml run (the daemon) and bai2aml apply (reconcile until converged, then exit).
#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/logging.hpp"
#include "daemon/service.hpp"

#include <unistd.h>

namespace bai2aml::daemon::commands {
namespace {

// --progress auto: a status line only on a terminal; journald and pipes get plain lines.
ProgressDisplay progress_display(const CommandLine& cl) {
  if (cl.progress == "tty") return ProgressDisplay::Terminal;
  if (cl.progress == "plain") return ProgressDisplay::Plain;
  return ::isatty(STDOUT_FILENO) ? ProgressDisplay::Terminal : ProgressDisplay::Plain;
}

}  // namespace

int run(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  setup_logging(cfg->log, stderr_is_journal());
  ServiceOptions options;
  options.config_path = cl.config_path;
  options.progress_display = progress_display(cl);
  return run_service(*cfg, options);
}

int apply(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  setup_logging(cfg->log, stderr_is_journal());
  ServiceOptions options;
  options.config_path = cl.config_path;
  options.until_converged = true;
  options.timeout_seconds = cl.timeout_seconds;
  options.progress_display = progress_display(cl);
  return run_service(*cfg, options);
}

}  // namespace bai2aml::daemon::commands
