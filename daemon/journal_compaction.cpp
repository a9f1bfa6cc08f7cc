#include "daemon/journal_compaction.hpp"

#include "config/rfc3339.hpp"
#include "reconcile/diff.hpp"
#include "reconcile/source_retirement.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon {

std::vector<std::string> journal_actions_kept_whole() {
  return {reconcile::kRecoverDeletePhase, reconcile::kRecoverPutPhase, reconcile::kRetireSourcePhase,
          reconcile::kTerminateSourcePhase};
}

std::optional<std::int64_t> compact_journal_if_due(state::Store& store, std::chrono::system_clock::time_point now) {
  if (const auto last = store.last_journal_compaction()) {
    const auto at = config::parse_rfc3339(*last);
    // A timestamp from the future (a clock set back) does not stop compaction for good.
    if (at && *at <= now && now - *at < kJournalCompactionInterval) return std::nullopt;
  }
  return store.compact_journal(journal_actions_kept_whole());
}

}  // namespace bai2aml::daemon
