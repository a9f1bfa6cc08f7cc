// bai2aml inventory export: the Batch AI inventory as an emulator seed file, so that a real estate
// can be rehearsed on bai2aml-emulator. Secret values are stripped and free text redacted; the file is
// written atomically.
#include <cstdio>

#include "azure/sync_arm_client.hpp"
#include "config/redaction.hpp"
#include "daemon/atomic_file.hpp"
#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/commands/source_inventory.hpp"
#include "translate/secret_scrub.hpp"

namespace bai2aml::daemon::commands {

int inventory_export(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  std::unique_ptr<azure::SyncArmClient> client;
  if (cfg->source.inventory_file.empty()) client = std::make_unique<azure::SyncArmClient>(cfg->azure);
  auto source = read_source(*cfg, client.get());
  if (!source.ok) {
    std::fprintf(stderr, "bai2aml inventory export: cannot read the Batch AI inventory: %s\n", source.error.c_str());
    return kExitRuntimeFailure;
  }
  nlohmann::json seed = {{"resources", nlohmann::json::array()}};
  // A seed is shared and rehearsed on: besides the secret properties, every free text (job command
  // lines too) is redacted.
  for (const auto& r : source.inventory.resources)
    seed["resources"].push_back(config::redact_secrets_in(translate::scrub_secrets(r)));
  write_file_atomically(cl.out, seed.dump(2) + "\n", 0600);
  std::fprintf(stderr, "bai2aml: wrote %zu Batch AI resources to %s\n", source.inventory.resources.size(), cl.out.c_str());
  return kExitOk;
}

}  // namespace bai2aml::daemon::commands
