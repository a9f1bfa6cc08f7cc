// Reads the Batch AI inventory for a CLI command: from source.inventory_file, or from the live API.
#pragma once

#include <memory>
#include <string>

#include "azure/inventory.hpp"
#include "config/config.hpp"

namespace bai2aml::azure {
class SyncArmClient;
}

namespace bai2aml::daemon::commands {

struct SourceRead {
  bool ok = false;
  azure::Inventory inventory;
  std::string mode;   // "live" or "snapshot"
  std::string error;  // why the source could not be read
};

// client may be null when source.inventory_file is set.
SourceRead read_source(const config::Config& cfg, azure::SyncArmClient* client);

}  // namespace bai2aml::daemon::commands
