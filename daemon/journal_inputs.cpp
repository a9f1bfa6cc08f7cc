#include "daemon/journal_inputs.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "config/rfc3339.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/observed.hpp"
#include "reconcile/source_retirement.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon {

std::chrono::seconds recovery_backoff(int recoveries_begun) {
  if (recoveries_begun <= 0) return std::chrono::seconds(0);
  return std::chrono::seconds(2) * (1 << std::min(recoveries_begun - 1, 10));
}

namespace {

// Recoveries begun (a recover-delete journalled and not abandoned), per compute and desired spec;
// backing off while the latest began less than recovery_backoff() ago.
void add_recoveries(state::Store& store, reconcile::DiffInputs& inputs) {
  struct Seen {
    int total = 0;
    std::optional<std::chrono::system_clock::time_point> last;
  };
  std::map<std::string, Seen> seen;
  for (const auto& op : store.operations_with_action(reconcile::kRecoverDeletePhase)) {
    if (op.state == "abandoned") continue;
    const std::string key = reconcile::id_key(op.resource_id);
    ++inputs.recoveries[key].attempts[op.body_hash];
    auto& s = seen[key];
    ++s.total;
    if (const auto at = config::parse_rfc3339(op.created_at); at && (!s.last || *at > *s.last)) s.last = *at;
  }
  const auto now = std::chrono::system_clock::now();
  for (const auto& [key, s] : seen)
    inputs.recoveries[key].backing_off = s.last && now - *s.last < recovery_backoff(s.total);
}

}  // namespace

void add_journal_inputs(state::Store& store, const std::vector<translate::DesiredResource>& desired,
                        reconcile::DiffInputs& inputs) {
  std::map<std::string, bool> is_job;  // id key -> desired as a job
  for (const auto& d : desired) is_job[reconcile::id_key(d.id)] = d.kind == translate::Kind::Job;
  for (const auto& op : store.operations_in_state("succeeded")) {  // oldest first: the last one wins
    if (op.body_hash.empty()) continue;
    const std::string key = reconcile::id_key(op.resource_id);
    const auto it = is_job.find(key);
    if (it == is_job.end()) continue;
    inputs.last_applied_hash[key] = op.body_hash;
    if (it->second && op.method == "PUT") inputs.submitted_jobs.insert(key);
  }
  add_recoveries(store, inputs);
  for (const auto& source : store.submitted_job_sources()) inputs.submitted_sources.insert(reconcile::id_key(source));
}

translate::NameHints stored_name_hints(state::Store& store, const reconcile::SourceScope& scope) {
  std::vector<reconcile::ObservedResource> observed;
  for (auto& rec : store.observed_tags())
    if (auto o = reconcile::observed_from_arm(rec.body)) observed.push_back(std::move(*o));
  return reconcile::name_hints(observed, scope);
}

std::set<std::string> jobs_terminated_by_bai2aml(state::Store& store) {
  std::set<std::string> out;
  for (const auto& op : store.operations_with_action(reconcile::kTerminateSourcePhase))
    out.insert(reconcile::id_key(op.resource_id));
  return out;
}

}  // namespace bai2aml::daemon
