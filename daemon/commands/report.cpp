// bai2aml report: the migration report, from the database.
#include <cstdio>

#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/report.hpp"

namespace bai2aml::daemon::commands {

int report(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  auto store = state::Store::open(cfg->state.database, {false});
  const auto data = gather_report(*store, *cfg, Clock::now());
  if (cl.format == "json") std::printf("%s\n", report_to_json(data).dump(2).c_str());
  else std::fputs(report_to_markdown(data).c_str(), stdout);
  return kExitOk;
}

}  // namespace bai2aml::daemon::commands
