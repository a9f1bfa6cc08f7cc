// Dependency order and readiness. Writes go parents first (workspace -> datastores, computes,
// environments -> environment versions -> jobs); retirements go children first. An action is
// ready when every id it depends on is ready: observed Succeeded or completed earlier in this
// cycle (for a Retire: gone, i.e. no longer observed or deleted earlier in this cycle).
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconcile/action.hpp"
#include "reconcile/observed.hpp"

namespace bai2aml::reconcile {

// 0 workspace; 1 datastore, compute, environment; 2 environment version; 3 job.
int kind_rank(translate::Kind kind);

// Stable order: non-retire actions by (rank, id), then Retire actions by (rank descending, id).
void sort_actions(std::vector<Action>& actions);

// What the executor knows about live resources: id_key -> ready (is_ready()).
using ReadyIndex = std::map<std::string, bool>;
ReadyIndex ready_index(const std::vector<ObservedResource>& observed);

// True when every depends_on of `action` is satisfied. `completed` holds id_keys of actions
// finished in this cycle.
bool dependencies_met(const Action& action, const ReadyIndex& observed, const std::set<std::string>& completed);

// Indices (into `actions`) of the writes whose dependencies are met and that are not completed,
// in the order of `actions`.
std::vector<std::size_t> ready_actions(const std::vector<Action>& actions, const ReadyIndex& observed,
                                       const std::set<std::string>& completed);

// Dependencies of `action` that no action in `plan` will produce and that are not observed: the
// action cannot run this cycle (its parent is blocked, or missing from the desired state).
std::vector<std::string> unsatisfiable_dependencies(const Action& action, const std::vector<Action>& plan,
                                                    const ReadyIndex& observed);

}  // namespace bai2aml::reconcile
