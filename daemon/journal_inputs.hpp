// What the journal tells the planners: the spec each resource was last written with, the jobs
// already submitted, and the Batch AI jobs bai2aml terminated. Read-only: `plan` uses it as the
// reconcile pass does, so both decide alike.
#pragma once

#include <set>
#include <string>

#include "reconcile/diff.hpp"

namespace bai2aml::state {
class Store;
}

namespace bai2aml::daemon {

// Fills inputs.last_applied_hash and inputs.submitted_jobs from the journal's succeeded writes.
void add_journal_inputs(state::Store& store, reconcile::DiffInputs& inputs);

// Id keys of the Batch AI jobs bai2aml sent a terminate to (policy.retire_source).
std::set<std::string> jobs_terminated_by_bai2aml(state::Store& store);

}  // namespace bai2aml::daemon
