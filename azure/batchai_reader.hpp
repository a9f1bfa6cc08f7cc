// Discovers the Batch AI inventory of source.subscription_id (or of source.resource_groups) with
// LIST calls only: workspaces, then per workspace its clusters, file servers and experiments, then
// per experiment its jobs. Any failure fails the whole read (a partial inventory would look like
// deletions), as a SourceUnavailable.
#pragma once

#include <functional>

#include "azure/arm_client.hpp"
#include "azure/inventory.hpp"

namespace bai2aml::azure {

class SyncArmClient;

using InventoryCallback = std::function<void(Result<Inventory, SourceUnavailable>)>;

class BatchAiReader {
 public:
  // client must outlive the reads. max_parallel: LIST calls in flight at once.
  BatchAiReader(ArmClient& client, config::Source source, int max_parallel = 4);
  void read(InventoryCallback done);

 private:
  ArmClient& client_;
  config::Source source_;
  int max_parallel_;
};

// Blocking form for CLI commands; uses source.inventory_file instead when it is set.
Result<Inventory, SourceUnavailable> read_inventory(SyncArmClient& client, const config::Source& source);

// How an ARM error on a Batch AI LIST maps to a reason (exposed for tests).
SourceUnavailable::Reason classify_source_error(const ArmError& error);

}  // namespace bai2aml::azure
