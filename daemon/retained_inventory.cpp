#include "daemon/retained_inventory.hpp"

#include <set>
#include <string>

#include "reconcile/arm_id.hpp"
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
  // Only the stored resources this read lacks are parsed; the others are counted.
  std::set<std::string> in_read;
  for (const auto& r : in.read)
    if (r.is_object() && r.contains("id") && r["id"].is_string()) in_read.insert(reconcile::id_key(r["id"].get<std::string>()));
  std::vector<std::string> missing;
  for (const auto& id : store.inventory_ids()) {
    if (in_read.count(reconcile::id_key(id))) ++in.stored_in_read;
    else missing.push_back(id);
  }
  for (auto& item : store.inventory_items(missing)) in.stored.push_back(std::move(item.body));
  in.ledger = store.vanished_sources();
  in.cutoff_passed = cutoff_passed;
  in.source_label = "/subscriptions/" + source_subscription;
  return reconcile::guard_vanished(std::move(in));
}

}  // namespace bai2aml::daemon
