// The inventory to keep after a read of the Batch AI source: the read, plus the resources bai2aml
// retired from Batch AI itself (policy.retire_source), as the journal records them. Without this a
// deleted cluster would look like a cluster nobody wants any more, and its AmlCompute would be pruned.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "reconcile/prune_guard.hpp"

namespace bai2aml::state {
class Store;
}

namespace bai2aml::daemon {

std::vector<nlohmann::json> retain_retired_sources(state::Store& store, std::vector<nlohmann::json> read);

// A healthy read as the snapshot is to keep it: what bai2aml retired itself, then the prune guard
// (reconcile/prune_guard.hpp) over the stored snapshot and ledger. Reads the store only: the caller
// stores result.inventory and result.ledger together (`plan` stores nothing).
reconcile::PruneGuardResult guard_read(state::Store& store, std::vector<nlohmann::json> read, bool cutoff_passed,
                                       const std::string& source_subscription);

}  // namespace bai2aml::daemon
