#include "reconcile/prune_guard.hpp"

#include <map>
#include <set>

#include "reconcile/arm_id.hpp"

namespace bai2aml::reconcile {
namespace {

std::string key_of(const nlohmann::json& r) {
  return r.is_object() && r.contains("id") && r["id"].is_string() ? id_key(r["id"].get<std::string>()) : "";
}

}  // namespace

PruneGuardResult guard_vanished(PruneGuardInputs in) {
  PruneGuardResult out;
  std::set<std::string> in_read;
  for (const auto& r : in.read) in_read.insert(key_of(r));
  std::map<std::string, state::VanishedSource> before;
  for (auto& v : in.ledger) before[id_key(v.id)] = std::move(v);

  // Missing now: the stored resources this read lacks.
  std::vector<std::pair<state::VanishedSource, const nlohmann::json*>> missing;
  std::size_t newly = 0, stored_count = in.stored_in_read;
  for (const auto& r : in.stored) {
    const std::string key = key_of(r);
    if (key.empty()) continue;
    ++stored_count;
    if (in_read.count(key)) continue;
    state::VanishedSource v;
    if (const auto b = before.find(key); b != before.end()) {
      v = b->second;
      ++v.absent_reads;
    } else {
      v.id = r["id"].get<std::string>();
      v.absent_reads = 1;
      ++newly;
    }
    missing.emplace_back(std::move(v), &r);
  }
  const bool mass = newly > kMassDisappearanceCount || newly * 100 > kMassDisappearancePercent * stored_count;

  out.inventory = std::move(in.read);
  std::size_t after_cutoff = 0;
  for (auto& [v, body] : missing) {
    if (v.absent_reads == 1 && mass) v.held = true;
    const bool released = !in.cutoff_passed && v.absent_reads >= 2 && (!v.held || v.confirmed);
    if (released) continue;  // two reads agree (and a person, if it was held): it leaves the snapshot
    if (in.cutoff_passed) ++after_cutoff;
    else if (v.held && !v.confirmed) ++out.held;
    else ++out.awaiting_second_read;
    out.inventory.push_back(*body);
    out.ledger.push_back(std::move(v));
  }
  if (out.held > 0 && !in.cutoff_passed)
    out.findings.push_back(
        {"prune-held", translate::Severity::Error, in.source_label,
         std::to_string(out.held) + " Batch AI resources vanished from the source in one read (of " +
             std::to_string(stored_count) + " in the inventory); nothing derived from them is pruned until an "
             "operator confirms or they return",
         "if they were retired on purpose, run `bai2aml prune --config FILE --confirm`; otherwise find out why the "
         "source no longer lists them (nothing is deleted meanwhile)"});
  if (after_cutoff > 0)
    out.findings.push_back({"source-vanished-after-cutoff", translate::Severity::Warning, in.source_label,
                            std::to_string(after_cutoff) + " Batch AI resources vanished from the source after the "
                            "cutoff; the stored snapshot stays the truth and nothing derived from them is pruned",
                            "none; delete AML resources by hand if they are no longer needed"});
  return out;
}

}  // namespace bai2aml::reconcile
