#include "daemon/commands/source_inventory.hpp"

#include "azure/batchai_reader.hpp"
#include "azure/sync_arm_client.hpp"

namespace bai2aml::daemon::commands {

SourceRead read_source(const config::Config& cfg, azure::SyncArmClient* client) {
  SourceRead out;
  out.mode = cfg.source.inventory_file.empty() ? "live" : "snapshot";
  if (cfg.source.inventory_file.empty() && !client) {
    out.error = "no ARM client to read the live Batch AI API";
    return out;
  }
  auto result = !cfg.source.inventory_file.empty() ? azure::load_inventory_file(cfg.source.inventory_file, cfg.source)
                                                   : azure::read_inventory(*client, cfg.source);
  if (result.ok()) {
    out.ok = true;
    out.inventory = std::move(result.value());
  } else {
    out.error = std::string(azure::to_string(result.error().reason)) + ": " + result.error().message;
  }
  return out;
}

}  // namespace bai2aml::daemon::commands
