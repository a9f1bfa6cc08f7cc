#include "reconcile/identity.hpp"

#include "config/batchai_id.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/text.hpp"

namespace bai2aml::reconcile {

SourceScope source_scope(const config::Source& source) { return {source.subscription_id, source.resource_groups}; }

bool in_scope(const SourceScope& scope, const std::string& source_id) {
  if (scope.subscription_id.empty()) return true;
  // /subscriptions/S/resourceGroups/G/...: only the path's scope matters, not which kind it names.
  const auto segs = config::arm_id_segments(source_id);
  if (segs.size() < 4 || !iequals(segs[0], "subscriptions") || !iequals(segs[2], "resourceGroups")) return false;
  if (!iequals(segs[1], scope.subscription_id)) return false;
  if (scope.resource_groups.empty()) return true;
  for (const auto& rg : scope.resource_groups)
    if (iequals(rg, segs[3])) return true;
  return false;
}

std::string source_tag(const ObservedResource& r) { return tag_value(tags_of(r.kind, r.body), kSourceTag); }

bool owned_here(const ObservedResource& r, const SourceScope& scope) {
  return is_owned(r) && (scope.subscription_id.empty() || in_scope(scope, source_tag(r)));
}

bool owned_elsewhere(const ObservedResource& r, const SourceScope& scope) { return is_owned(r) && !owned_here(r, scope); }

bool has_one_source(translate::Kind kind) {
  return kind == translate::Kind::Workspace || kind == translate::Kind::Compute || kind == translate::Kind::Job;
}

translate::NameHints name_hints(const std::vector<ObservedResource>& observed, const SourceScope& scope) {
  translate::NameHints hints;
  for (const auto& o : observed) {
    if (!has_one_source(o.kind)) continue;
    const std::string source = source_tag(o);
    if (source.empty()) continue;  // untagged: policy.adopt decides, at the same id
    const std::string name = leaf_name(o.id);
    std::string scoped = id_key(name);
    if (o.kind == translate::Kind::Job) scoped = id_key(leaf_name(workspace_of(o.id))) + "/" + scoped;
    auto& taken = o.kind == translate::Kind::Workspace ? hints.taken_workspaces
                  : o.kind == translate::Kind::Compute ? hints.taken_computes
                                                       : hints.taken_jobs;
    taken[scoped].insert(id_key(source));
    if (!is_owned(o) || !in_scope(scope, source)) continue;
    auto& kept = o.kind == translate::Kind::Workspace ? hints.workspaces
                 : o.kind == translate::Kind::Compute ? hints.computes
                                                      : hints.jobs;
    kept[id_key(source)].insert(name);
  }
  return hints;
}

}  // namespace bai2aml::reconcile
