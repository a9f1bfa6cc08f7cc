// bai2aml prune --confirm: an operator confirms that the Batch AI resources the mass-disappearance
// guard holds (reconcile/prune_guard.hpp) are gone for good. The next pass of the daemon or `apply`
// prunes what derives from those still missing; those that came back meanwhile are simply read again.
#include <sys/stat.h>

#include <cstdio>

#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon::commands {

int prune(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  struct stat st{};
  if (::stat(cfg->state.database.c_str(), &st) != 0) {
    std::printf("nothing is held: %s does not exist yet\n", cfg->state.database.c_str());
    return kExitOk;
  }
  // Not exclusive: the daemon may hold the database; SQLite serializes this one small write.
  auto store = state::Store::open(cfg->state.database, {false});
  const int released = store->confirm_held_prunes();
  if (released == 0) {
    std::printf("nothing is held\n");
    return kExitOk;
  }
  std::printf("confirmed: %d vanished Batch AI resources released; the next pass prunes what derives from those "
              "still missing (never a workspace, never what a running job uses)\n",
              released);
  return kExitOk;
}

}  // namespace bai2aml::daemon::commands
