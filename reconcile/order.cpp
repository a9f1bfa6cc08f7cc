#include "reconcile/order.hpp"

#include <algorithm>

#include "reconcile/arm_id.hpp"

namespace bai2aml::reconcile {

int kind_rank(translate::Kind kind) {
  switch (kind) {
    case translate::Kind::Workspace: return 0;
    case translate::Kind::Datastore:
    case translate::Kind::Compute:
    case translate::Kind::EnvironmentContainer: return 1;
    case translate::Kind::EnvironmentVersion: return 2;
    case translate::Kind::Job: return 3;
  }
  return 4;
}

void sort_actions(std::vector<Action>& actions) {
  std::stable_sort(actions.begin(), actions.end(), [](const Action& a, const Action& b) {
    const bool ra = a.kind == ActionKind::Retire;
    const bool rb = b.kind == ActionKind::Retire;
    if (ra != rb) return rb;  // non-retire first
    const int ka = kind_rank(a.resource_kind);
    const int kb = kind_rank(b.resource_kind);
    if (ka != kb) return ra ? ka > kb : ka < kb;
    return id_key(a.id) < id_key(b.id);
  });
}

ReadyIndex ready_index(const std::vector<ObservedResource>& observed) {
  ReadyIndex out;
  for (const auto& r : observed) out[id_key(r.id)] = is_ready(r);
  return out;
}

bool dependencies_met(const Action& action, const ReadyIndex& observed, const std::set<std::string>& completed) {
  for (const auto& dep : action.depends_on) {
    const std::string key = id_key(dep);
    if (completed.count(key)) continue;
    const auto it = observed.find(key);
    if (action.kind == ActionKind::Retire) {
      if (it != observed.end()) return false;  // the child still exists
    } else if (it == observed.end() || !it->second) {
      return false;
    }
  }
  return true;
}

std::vector<std::size_t> ready_actions(const std::vector<Action>& actions, const ReadyIndex& observed,
                                       const std::set<std::string>& completed) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const Action& a = actions[i];
    if (!a.writes() || completed.count(id_key(a.id))) continue;
    if (dependencies_met(a, observed, completed)) out.push_back(i);
  }
  return out;
}

std::vector<std::string> unsatisfiable_dependencies(const Action& action, const std::vector<Action>& plan,
                                                    const ReadyIndex& observed) {
  std::vector<std::string> out;
  if (action.kind == ActionKind::Retire) return out;  // retire deps are plan members by construction
  for (const auto& dep : action.depends_on) {
    const std::string key = id_key(dep);
    if (observed.count(key)) continue;
    const bool produced = std::any_of(plan.begin(), plan.end(), [&](const Action& a) {
      return a.writes() && a.kind != ActionKind::Retire && id_key(a.id) == key;
    });
    if (!produced) out.push_back(dep);
  }
  return out;
}

}  // namespace bai2aml::reconcile
