// bai2aml run (the daemon) and bai2aml apply (reconcile until converged, then exit).
#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/logging.hpp"
#include "daemon/service.hpp"

namespace bai2aml::daemon::commands {

int run(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  setup_logging(cfg->log, stderr_is_journal());
  ServiceOptions options;
  options.config_path = cl.config_path;
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
  return run_service(*cfg, options);
}

}  // namespace bai2aml::daemon::commands
