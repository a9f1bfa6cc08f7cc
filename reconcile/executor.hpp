// Execute: carries out the writes of a plan, safely (DESIGN.md §1, issue 6; STYLE.md §2-3).
//   - Order and pace: an action starts only when its depends_on are ready (observed Succeeded, or
//     completed by this executor since the last submit); at most max_parallel are in flight (work
//     queue slots); the ArmClient's pipeline paces the requests against ARM's limits.
//   - Journal first: before any request, an intent row (resource id, action, method, url, body
//     hash = the desired spec's body_hash) is durable in the store; after a 201/202 the operation
//     token is stored (journal_sent); the row is finished succeeded/failed at the end.
//   - Begin or Monitor is chosen from the journal, never from memory (ASO): an open row with an
//     operation token -> poll it (also after a restart: resume_journal()); an open row without one
//     (a crash between intent and answer) is abandoned and the idempotent PUT/DELETE re-sent.
//   - A job is never submitted twice: a job PUT the journal records as succeeded is not re-sent.
//   - Deadlines: a long-running operation still running after options.operation_deadline is given
//     up (journal row failed, finding) and the write retried later: a pass never waits forever.
//   - Failures: a retryable ARM error backs off exponentially per resource (one calculator,
//     outcome.hpp); a terminal one becomes a write-failed finding and the resource is not retried
//     until its desired spec (hash) changes.
//   - Secrets: secret_file_ref placeholders are replaced with file contents only in the body sent.
//   - Each write is logged once when it ends (reconcile/azure_write.hpp): after its long-running
//     operation, with the request id ARM knows the write by.
// Level-triggered: submit() replaces the previous plan; the daemon calls it every cycle. A
// resource the new plan drops while a request of it is out is seen through: its operation is
// polled to its end, then the item is forgotten (its end does not count as completed for the
// plan's dependents, and no PUT follows a replace/recover DELETE the plan no longer asks for).
// Every processing leaves its item in a phase that says what comes next: never Queued, InFlight
// or Polling without the work queue holding its next attempt (the daemon waits on those phases).
// Single-threaded: every call on the io_context's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "reconcile/action.hpp"
#include "reconcile/observed.hpp"
#include "reconcile/order.hpp"
#include "reconcile/outcome.hpp"
#include "reconcile/work_queue.hpp"
#include "translate/model.hpp"

namespace bai2aml::azure {
class ArmClient;
}
namespace bai2aml::state {
class Store;
}

namespace bai2aml::reconcile {

struct ExecutorOptions {
  std::size_t max_parallel = 8;                              // azure.max_parallel
  std::chrono::milliseconds backoff_base{1000};               // first retry after a failure
  std::chrono::milliseconds backoff_cap{std::chrono::minutes(5)};
  NextAttemptOptions next;                                    // caps per retry speed, poll bounds
  // A polled long-running operation that has not ended this long after it was sent is given up:
  // its journal row fails (OperationDeadlineExceeded), an operation-deadline-exceeded finding says
  // so, and the write is retried later (slow backoff), so that no pass waits on it forever.
  std::chrono::milliseconds operation_deadline{std::chrono::minutes(30)};
};

enum class ItemPhase {
  Queued,                  // waiting for a slot
  WaitingForDependencies,  // a depends_on is not ready yet
  InFlight,                // a request is out
  Polling,                 // a long-running operation is running (token journalled)
  BackingOff,              // failed, retrying later
  Succeeded,               // done since the last submit
  Failed,                  // terminal error; not retried until the desired spec changes
};
const char* to_string(ItemPhase phase);
// The phases a pass waits on: something is queued, out or polling for the item.
inline bool holds_a_pass(ItemPhase phase) {
  return phase == ItemPhase::Queued || phase == ItemPhase::InFlight || phase == ItemPhase::Polling;
}

struct ItemStatus {
  std::string id;
  ActionKind kind = ActionKind::Noop;
  ItemPhase phase = ItemPhase::Queued;
  int failures = 0;        // consecutive
  std::string last_error;  // ArmError::to_string() of the last failure ("" if none)
};

class Executor {
 public:
  Executor(boost::asio::io_context& io, azure::ArmClient& client, state::Store& store, ExecutorOptions options = {});
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // The latest plan (diff output) and the observation it came from. Noop/Blocked actions are
  // ignored; a resource backing off keeps its delay; a resource failed terminally is skipped unless
  // its desired_hash changed.
  void submit(const std::vector<Action>& actions, const std::vector<ObservedResource>& observed);

  // After a restart: queues every operation the journal holds open, so it is polled to its end
  // (or abandoned and re-sent when it never got an answer). Returns how many were queued.
  std::size_t resume_journal();

  // Nothing queued, in flight, polling or waiting for a retry. (Actions waiting for a dependency
  // that nothing in flight will produce do not keep the executor busy.)
  bool idle() const;

  std::vector<ItemStatus> statuses() const;          // by id
  // Whether any item is in a phase a pass waits on (Queued, InFlight, Polling). The daemon asks every
  // 20 ms while a pass runs: it reads the statuses in place and stops at the first such item, where
  // statuses() copies every one (30,000 ids, 50 times a second).
  bool holds_a_pass() const;

  // How many processings of items began or ended so far: unchanged for a while, nothing happened.
  std::uint64_t activity() const { return activity_; }
  // The items in a phase a pass waits on (Queued, InFlight, Polling), each with whether the work
  // queue holds its next attempt: one it does not hold waits for nothing (the daemon names such
  // items when a pass stops moving).
  struct Holding {
    ItemStatus status;
    bool scheduled = false;
  };
  std::vector<Holding> holding() const;
  // write-failed, one per terminally failed resource; operation-deadline-exceeded, one per resource
  // whose operation was given up, until a write of it succeeds.
  std::vector<translate::Finding> findings() const;

  void shut_down(std::chrono::milliseconds deadline, std::function<void(bool drained)> done);

  struct Item;  // per-resource bookkeeping (internal)

 private:
  void process(const std::string& key, WorkQueue::Done done);
  void process_item(const std::string& key, const std::function<void(Outcome)>& finish, WorkQueue::Done done);
  void internal_error(const std::string& key, const std::exception& e, const std::function<void(Outcome)>& finish);
  void begin(const std::string& key, const std::function<void(Outcome)>& finish, WorkQueue::Done done);
  void send(const std::string& key, const Action& action, const std::string& phase, const std::string& method,
            const std::function<void(Outcome)>& finish);
  void apply(const std::string& key, const Outcome& outcome);
  void wake_waiting();
  // Drops the bookkeeping of an item the plan does not ask for and that has nothing out, so that
  // no item is left in a phase that waits for a processing nothing will schedule.
  void forget(const std::string& key);
  // How long the write journalled as op_id took, now that it has ended; created_at (the journal
  // row's) times a write sent before a restart.
  std::chrono::milliseconds write_ended(std::int64_t op_id, const std::string& created_at);

  boost::asio::io_context& io_;
  azure::ArmClient& client_;
  state::Store& store_;
  ExecutorOptions options_;
  std::shared_ptr<RateLimiter> limiter_;
  NextAttemptCalculator calculator_;
  WorkQueue queue_;
  std::uint64_t activity_ = 0;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // callbacks check it: no use after destruction

  std::map<std::string, Action> plan_;              // id_key -> latest writing action
  std::map<std::string, std::string> resume_ids_;   // id_key -> resource id of a journalled open operation
  ReadyIndex ready_;
  std::set<std::string> completed_;
  std::set<std::string> waiting_;
  std::map<std::string, std::string> terminal_;     // id_key -> desired_hash that failed terminally
  std::map<std::string, translate::Finding> findings_;
  std::map<std::string, ItemStatus> status_;
  std::map<std::int64_t, std::chrono::steady_clock::time_point> sent_at_;  // op_id -> when sent, until logged
  std::map<std::int64_t, std::chrono::steady_clock::time_point> deadline_;  // op_id -> when polling gives up
  std::map<std::string, translate::Finding> deadline_findings_;  // id_key -> until the write succeeds
};

}  // namespace bai2aml::reconcile
