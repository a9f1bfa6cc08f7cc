#include "daemon/retained_inventory.hpp"

#include "reconcile/source_retirement.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon {

std::vector<nlohmann::json> retain_retired_sources(state::Store& store, std::vector<nlohmann::json> read) {
  std::vector<std::string> deleted, terminated;
  for (const auto& op : store.operations_with_action(reconcile::kRetireSourcePhase)) deleted.push_back(op.resource_id);
  for (const auto& op : store.operations_with_action(reconcile::kTerminateSourcePhase)) terminated.push_back(op.resource_id);
  if (deleted.empty() && terminated.empty()) return read;
  std::vector<nlohmann::json> stored;
  for (auto& item : store.inventory()) stored.push_back(std::move(item.body));
  return reconcile::retain_retired(std::move(read), stored, deleted, terminated);
}

reconcile::PruneGuardResult guard_read(state::Store& store, std::vector<nlohmann::json> read, bool cutoff_passed,
                                       const std::string& source_subscription) {
  reconcile::PruneGuardInputs in;
  in.read = retain_retired_sources(store, std::move(read));
  for (auto& item : store.inventory()) in.stored.push_back(std::move(item.body));
  in.ledger = store.vanished_sources();
  in.cutoff_passed = cutoff_passed;
  in.source_label = "/subscriptions/" + source_subscription;
  return reconcile::guard_vanished(std::move(in));
}

}  // namespace bai2aml::daemon
