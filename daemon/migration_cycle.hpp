// One level-triggered reconcile pass over the whole migration: read the source (or fall back to the
// stored snapshot), translate, observe the live AML state with LIST calls, diff, and carry out the
// ready actions (journal first), then record every resource's status. Each pass recomputes
// everything from the store, the config and what it observes, so a missed event, a crash or a hand
// edit heals on the next pass.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "daemon/pass_progress.hpp"
#include "daemon/status_snapshot.hpp"

namespace boost::asio {
class io_context;
}
namespace bai2aml::azure {
class RequestCounters;
}
namespace bai2aml::state {
class Store;
}

namespace bai2aml::daemon {

struct CycleReport {
  std::int64_t number = 0;
  Phase phase = Phase::Discovering;
  std::int64_t remaining = 0;          // desired resources not yet in sync (pending + retryable failures)
  std::int64_t terminal_failures = 0;  // failed for good until the desired spec changes
  std::int64_t writes = 0;             // write requests sent in this pass
  std::optional<std::string> error;    // why the pass could not complete
  // When the next pass is due sooner than the interval (an LRO in progress, a backoff expiring).
  std::optional<std::chrono::milliseconds> wake_after;
  bool converged() const { return phase == Phase::Converged; }
};

class MigrationCycle {
 public:
  MigrationCycle(boost::asio::io_context& io, state::Store& store, std::shared_ptr<azure::RequestCounters> counters);
  ~MigrationCycle();
  MigrationCycle(const MigrationCycle&) = delete;
  MigrationCycle& operator=(const MigrationCycle&) = delete;

  // Takes effect at the next pass (a pass in progress keeps the config it started with).
  void set_config(const config::Config& cfg);
  // Starts a pass; `done` is called exactly once, on the io_context. Passes never overlap.
  void run(std::function<void(CycleReport)> done);
  // No new writes are started; writes in flight complete (or stay journalled) and the pass ends.
  void stop();
  bool running() const;
  // Where the pass in progress stands (stage Idle between passes). Cheap enough to call every
  // few hundred milliseconds: it walks the executor's items once.
  PassProgress progress() const;
  // After the io_context has stopped for good: cancels the requests still in flight and waits until
  // their completions (run on cpprestsdk's threads) are done with the io_context, so that it can be
  // destroyed with whatever they posted to it. The cycle cannot run again.
  void close();

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace bai2aml::daemon
