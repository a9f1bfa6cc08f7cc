// Guarded deletion (issue 12): what a healthy read of the Batch AI source may make disappear. Pure.
// A resource missing from a read is kept in the stored snapshot (so nothing derived from it is
// pruned) until:
//   - it was also missing from the previous healthy read (two reads agree), and
//   - it did not vanish in a mass disappearance (more than 5 resources, or more than 10 % of the
//     inventory, in one read), or an operator confirmed that one (`bai2aml prune --confirm`), and
//   - the cutoff has not passed: after it, the stored snapshot is the truth and nothing that vanished
//     is ever released.
// A resource that comes back is simply read again. Released resources leave the snapshot; the diff
// then prunes their AML counterparts under its own rules (never a workspace, never in use).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "state/records.hpp"
#include "translate/model.hpp"

namespace bai2aml::reconcile {

// The share of the inventory above which one read's disappearances are held.
inline constexpr std::size_t kMassDisappearanceCount = 5;   // more than this many resources
inline constexpr std::size_t kMassDisappearancePercent = 10;  // or more than this share of the inventory

struct PruneGuardInputs {
  std::vector<nlohmann::json> read;           // this healthy read (with what bai2aml retired itself)
  std::vector<nlohmann::json> stored;         // the stored snapshot before it (see stored_in_read)
  std::vector<state::VanishedSource> ledger;  // what earlier reads found missing
  bool cutoff_passed = false;
  std::string source_label;  // the finding's source id (the source subscription)
  // How many stored resources the read also has, left out of `stored` (their bodies are not needed:
  // only what is missing from the read is), but counted in the inventory's size.
  std::size_t stored_in_read = 0;
};

struct PruneGuardResult {
  std::vector<nlohmann::json> inventory;      // the read plus the stored bodies kept
  std::vector<state::VanishedSource> ledger;  // the resources kept, to store for the next read
  std::vector<translate::Finding> findings;   // prune-held (error), source-vanished-after-cutoff (warning)
  std::size_t awaiting_second_read = 0;       // kept until the next read confirms them: not converged
  std::size_t held = 0;                       // kept until an operator confirms (or they return)
};

PruneGuardResult guard_vanished(PruneGuardInputs in);

}  // namespace bai2aml::reconcile
