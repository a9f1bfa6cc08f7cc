#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"

namespace bai2aml::daemon::commands {

int check_config(const CommandLine& cl) { return load_config_or_report(cl.config_path) ? kExitOk : kExitUsage; }

}  // namespace bai2aml::daemon::commands
