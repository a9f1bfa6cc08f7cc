// What a reconcile pass has done so far, while it runs: the figures the daemon publishes during a
// long pass (status files, STATUS=, the terminal's status line) and the evidence that the pass is
// moving, which the watchdog needs before it tells systemd all is well.
#pragma once

#include <chrono>
#include <cstdint>

#include "daemon/cutoff.hpp"

namespace bai2aml::daemon {

// The steps of a pass, in order (migration_cycle.hpp).
enum class PassStage { Idle, ReadingSource, Translating, Observing, Planning, Executing, Recording };
const char* to_string(PassStage);  // "idle", "reading source", "translating", "observing", ...

struct PassProgress {
  std::int64_t cycle = 0;  // the pass's number (the cycles table's), 0 while no pass ran
  PassStage stage = PassStage::Idle;
  std::chrono::steady_clock::time_point started{};  // the pass's start
  TimePoint started_at{};                            // the same, on the wall clock

  // Desired resources and where they stand in this pass; all 0 until the plan is made.
  std::int64_t total = 0;
  std::int64_t in_sync = 0;
  std::int64_t pending = 0;
  std::int64_t failed = 0;
  std::int64_t blocked = 0;

  std::int64_t writes_planned = 0;  // the plan's write actions (Azure and Batch AI)
  std::int64_t writes_done = 0;     // of those, finished (succeeded or failed for good)
  std::int64_t in_flight = 0;       // sent and not answered, or polling a long-running operation
  std::chrono::steady_clock::time_point executing_since{};  // when the executor got the plan

  bool running() const { return stage != PassStage::Idle; }
};

}  // namespace bai2aml::daemon
