// Journal compaction (issue 13): the operations table would otherwise grow by a row per write for
// ever (30,000 resources corrected now and then make a slow, large journal). Compaction deletes the
// finished rows that a newer finished row of the same resource, action, method, state and body hash
// supersedes (state::Store::compact_journal). What it keeps, and why that is enough:
//   - open rows (intent, sent, polling): resume polls or re-sends them;
//   - the latest row of each (resource, action, method, state, body hash): every "latest such row"
//     question the planners ask keeps its answer (the last applied spec, where a replacement or a
//     recovery stands, the lost submission), and a succeeded job PUT is never deleted without a newer
//     succeeded PUT of the same job: a job is never submitted twice;
//   - every row of the actions counted row by row: recover-delete and recover-put (the number of
//     recoveries of a spec bounds them), retire-source and terminate-source (`report` and `status`
//     count them by state);
//   - the audit log, never compacted: `bai2aml history` tells a deleted row's write from its requests.
// It runs at the end of a pass, at most once per kJournalCompactionInterval, kept across processes.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bai2aml::state {
class Store;
}

namespace bai2aml::daemon {

inline constexpr std::chrono::hours kJournalCompactionInterval{1};

// The journal actions whose rows are all kept.
std::vector<std::string> journal_actions_kept_whole();

// Compacts when the last compaction is older than kJournalCompactionInterval (or there was none);
// returns the rows deleted, or nothing when it was not due.
std::optional<std::int64_t> compact_journal_if_due(state::Store& store, std::chrono::system_clock::time_point now);

}  // namespace bai2aml::daemon
