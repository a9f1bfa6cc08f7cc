// bai2aml history ID: one resource's story, from the journal, the audit log and the recorded
// state changes and findings.
#include <cstdio>

#include "config/utf8.hpp"
#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/history.hpp"

namespace bai2aml::daemon::commands {

int history(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  auto store = state::Store::open(cfg->state.database, {false});
  const auto h = gather_history(*store, cl.resource_id);
  if (!h.found) {
    std::fprintf(stderr, "bai2aml history: \"%s\" is neither a Batch AI nor an AML resource known to the database %s\n",
                 config::terminal_text(cl.resource_id).c_str(), cfg->state.database.c_str());
    return kExitRuntimeFailure;
  }
  if (cl.json) std::printf("%s\n", history_to_json(h).dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  else std::fputs(history_to_text(h).c_str(), stdout);
  return kExitOk;
}

}  // namespace bai2aml::daemon::commands
