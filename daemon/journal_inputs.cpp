#include "daemon/journal_inputs.hpp"

#include "reconcile/arm_id.hpp"
#include "reconcile/source_retirement.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon {

void add_journal_inputs(state::Store& store, reconcile::DiffInputs& inputs) {
  for (const auto& rec : store.desired()) {
    for (const auto& op : store.operations_for(rec.resource.id)) {
      if (op.state != "succeeded" || op.body_hash.empty()) continue;
      inputs.last_applied_hash[reconcile::id_key(op.resource_id)] = op.body_hash;
      if (rec.resource.kind == translate::Kind::Job && op.method == "PUT")
        inputs.submitted_jobs.insert(reconcile::id_key(op.resource_id));
    }
  }
}

std::set<std::string> jobs_terminated_by_bai2aml(state::Store& store) {
  std::set<std::string> out;
  for (const auto& op : store.operations_with_action(reconcile::kTerminateSourcePhase))
    out.insert(reconcile::id_key(op.resource_id));
  return out;
}

}  // namespace bai2aml::daemon
