// The inventory to keep after a read of the Batch AI source: the read, plus the resources bai2aml
// retired from Batch AI itself (policy.retire_source), as the journal records them. Without this a
// deleted cluster would look like a cluster nobody wants any more, and its AmlCompute would be pruned.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace bai2aml::state {
class Store;
}

namespace bai2aml::daemon {

std::vector<nlohmann::json> retain_retired_sources(state::Store& store, std::vector<nlohmann::json> read);

}  // namespace bai2aml::daemon
