#include "reconcile/executor.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <chrono>

#include "azure/arm_client.hpp"
#include "config/rfc3339.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/azure_write.hpp"
#include "reconcile/diff.hpp"
#include "reconcile/secret_resolver.hpp"
#include "state/store.hpp"

namespace bai2aml::reconcile {

const char* to_string(ItemPhase phase) {
  switch (phase) {
    case ItemPhase::Queued: return "queued";
    case ItemPhase::WaitingForDependencies: return "waiting_for_dependencies";
    case ItemPhase::InFlight: return "in_flight";
    case ItemPhase::Polling: return "polling";
    case ItemPhase::BackingOff: return "backing_off";
    case ItemPhase::Succeeded: return "succeeded";
    case ItemPhase::Failed: return "failed";
  }
  return "unknown";
}

namespace {

// Journal phases ("action" column). Replace is two journalled writes.
constexpr const char* kReplaceDelete = "replace-delete";
constexpr const char* kReplacePut = "replace-put";

bool is_open(const state::Operation& op) {
  return op.state == "intent" || op.state == "sent" || op.state == "polling";
}

std::optional<std::int64_t> status_or_null(int status) {
  return status > 0 ? std::optional<std::int64_t>(status) : std::nullopt;
}

AzureWrite succeeded_write(const std::string& action, const std::string& resource_id,
                           std::chrono::milliseconds duration, const std::string& request_id) {
  return AzureWrite{action, resource_id, true, "succeeded", duration, request_id};
}

// "failed: Conflict (409): <message>": the code first, as the log line's readers grep for it.
AzureWrite failed_write(const std::string& action, const std::string& resource_id, std::chrono::milliseconds duration,
                        const azure::ArmError& e, const std::string& request_id) {
  std::string outcome = "failed: " + e.code;
  if (e.http_status > 0) outcome += " (" + std::to_string(e.http_status) + ")";
  if (!e.message.empty()) outcome += ": " + e.message;
  return AzureWrite{action, resource_id, false, std::move(outcome), duration, request_id};
}

}  // namespace

Executor::Executor(boost::asio::io_context& io, azure::ArmClient& client, state::Store& store, ExecutorOptions options)
    : io_(io),
      client_(client),
      store_(store),
      options_(options),
      limiter_(std::make_shared<ItemExponentialLimiter>(options.backoff_base, options.backoff_cap)),
      calculator_(options.next, limiter_),
      queue_(io, options.max_parallel == 0 ? 1 : options.max_parallel, limiter_) {
  queue_.start([this](const std::string& key, WorkQueue::Done done) { process(key, std::move(done)); });
}

Executor::~Executor() { queue_.shut_down(); }

void Executor::submit(const std::vector<Action>& actions, const std::vector<ObservedResource>& observed) {
  ready_ = ready_index(observed);
  completed_.clear();
  waiting_.clear();
  std::map<std::string, Action> next;
  for (const auto& a : actions) {
    if (a.writes()) next.emplace(id_key(a.id), a);
  }
  // Forget what the new plan no longer asks for (unless a request for it is out).
  for (auto it = status_.begin(); it != status_.end();) {
    const bool busy = it->second.phase == ItemPhase::InFlight || it->second.phase == ItemPhase::Polling;
    if (!next.count(it->first) && !busy && !resume_ids_.count(it->first)) {
      it = status_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = terminal_.begin(); it != terminal_.end();) {
    const auto a = next.find(it->first);
    if (a == next.end() || a->second.desired_hash != it->second || a->second.kind == ActionKind::Recover) {
      findings_.erase(it->first);  // the spec changed (or is gone): try again
      it = terminal_.erase(it);
    } else {
      ++it;
    }
  }
  // A deadline finding lasts until a write of its resource succeeds; a plan with no write for it
  // (the operation given up ended after all and the resource is observed in sync, or it is gone)
  // leaves no write to clear it.
  for (auto it = deadline_findings_.begin(); it != deadline_findings_.end();)
    it = next.count(it->first) ? std::next(it) : deadline_findings_.erase(it);
  plan_ = std::move(next);
  for (const auto& a : actions) {
    if (!a.writes()) continue;
    const std::string key = id_key(a.id);
    if (terminal_.count(key)) continue;
    auto& st = status_[key];
    st.id = a.id;
    st.kind = a.kind;
    // A key backing off or polling sits in the delay heap; adding it now would skip its delay.
    if (st.phase == ItemPhase::BackingOff || st.phase == ItemPhase::Polling || st.phase == ItemPhase::InFlight) continue;
    st.phase = ItemPhase::Queued;
    queue_.add(key);
  }
}

std::size_t Executor::resume_journal() {
  std::vector<state::Operation> open;
  try {
    open = store_.open_operations();
  } catch (const std::exception& e) {
    spdlog::error("executor: cannot read the journal: {}", e.what());
    return 0;
  }
  std::set<std::string> keys;
  for (const auto& op : open) {
    const std::string key = id_key(op.resource_id);
    resume_ids_[key] = op.resource_id;
    keys.insert(key);
  }
  for (const auto& key : keys) {
    auto& st = status_[key];
    st.id = resume_ids_[key];
    st.phase = ItemPhase::Queued;
    queue_.add(key);
  }
  return keys.size();
}

bool Executor::idle() const { return queue_.idle(); }

std::vector<ItemStatus> Executor::statuses() const {
  std::vector<ItemStatus> out;
  for (const auto& [key, st] : status_) out.push_back(st);
  return out;
}

bool Executor::holds_a_pass() const {
  for (const auto& [key, st] : status_)
    if (reconcile::holds_a_pass(st.phase)) return true;
  return false;
}

std::vector<Executor::Holding> Executor::holding() const {
  std::vector<Holding> out;
  for (const auto& [key, st] : status_)
    if (reconcile::holds_a_pass(st.phase)) out.push_back(Holding{st, queue_.holds(key)});
  return out;
}

std::vector<translate::Finding> Executor::findings() const {
  std::vector<translate::Finding> out;
  for (const auto& [key, f] : findings_) out.push_back(f);
  for (const auto& [key, f] : deadline_findings_) out.push_back(f);
  return out;
}

void Executor::shut_down(std::chrono::milliseconds deadline, std::function<void(bool)> done) {
  queue_.shut_down_with_drain(deadline, std::move(done));
}

void Executor::forget(const std::string& key) {
  deadline_findings_.erase(key);
  status_.erase(key);
  resume_ids_.erase(key);
  limiter_->forget(key);
}

void Executor::wake_waiting() {
  for (const auto& key : waiting_) {
    status_[key].phase = ItemPhase::Queued;
    queue_.add(key);
  }
  waiting_.clear();
}

void Executor::process(const std::string& key, WorkQueue::Done done) {
  ++activity_;
  std::weak_ptr<int> alive = alive_;
  auto ended = std::make_shared<bool>(false);
  // Exactly one outcome per processing (a later one, after an internal error ended it, is
  // dropped); it is applied, then the queue slot is released.
  auto finish = [this, alive, key, done, ended](Outcome outcome) {
    if (*ended) return;
    *ended = true;
    if (alive.expired()) return done();
    ++activity_;
    try {
      apply(key, outcome);
    } catch (const std::exception& e) {
      spdlog::error("executor: recording the outcome for {} failed: {}", key, e.what());
    }
    done();
  };
  try {
    process_item(key, finish, std::move(done));
  } catch (const std::exception& e) {
    internal_error(key, e, finish);
  }
}

// One resource's internal error (a bug, or data no parser foresaw) is that resource's: it ends the
// attempt as a retryable error, after a backoff, and the rest of the pass goes on, as
// controller-runtime recovers a Reconcile that panics.
void Executor::internal_error(const std::string& key, const std::exception& e,
                              const std::function<void(Outcome)>& finish) {
  auto& st = status_[key];
  st.last_error = std::string("InternalError: ") + e.what();
  spdlog::error("executor: {}: {}; retried after a backoff, the other resources go on", st.id.empty() ? key : st.id,
                st.last_error);
  finish(Outcome::retry("InternalError", RetrySpeed::Slow));
}

void Executor::process_item(const std::string& key, const std::function<void(Outcome)>& finish,
                            WorkQueue::Done done) {
  const auto planned = plan_.find(key);
  const auto resumed = resume_ids_.find(key);
  const auto known = status_.find(key);
  // An item the plan dropped while a request of it was out (submit keeps it then) is seen through
  // under the id it was submitted with: its journalled operation is polled to its end below.
  const std::string id = planned != plan_.end()      ? planned->second.id
                         : resumed != resume_ids_.end() ? resumed->second
                         : known != status_.end()       ? known->second.id
                                                        : std::string();
  if (id.empty()) {
    forget(key);  // dropped from the plan while it waited, nothing of it out
    return done();
  }

  std::vector<state::Operation> ops;
  try {
    ops = store_.operations_for(id);
  } catch (const std::exception& e) {
    spdlog::error("executor: journal read for {} failed: {}", id, e.what());
    return finish(Outcome::retry("JournalUnavailable", RetrySpeed::Slow));
  }
  // Monitor: the latest open row with an operation token. Older open rows and rows that never got
  // an answer are abandoned: the PUT/DELETE they stood for is idempotent and is re-sent below.
  std::optional<state::Operation> monitor;
  std::optional<azure::OperationToken> token;
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
    if (!is_open(*it)) continue;
    if (!monitor && it->poll_url) {
      std::string why;
      if (auto t = azure::OperationToken::from_json(*it->poll_url, &why)) {
        monitor = *it;
        token = *t;
        continue;
      }
      spdlog::warn("executor: journalled operation {} of {} has an unreadable token ({}); abandoning it", it->op_id,
                   id, why);
    }
    sent_at_.erase(it->op_id);
    try {
      store_.journal_finished(it->op_id, "abandoned", std::nullopt, std::string("Superseded"),
                              std::string("no answer was recorded; the request is sent again if still needed"));
    } catch (const std::exception& e) {
      spdlog::error("executor: journal update for {} failed: {}", id, e.what());
    }
  }
  if (resumed != resume_ids_.end() && !monitor) resume_ids_.erase(resumed);

  if (monitor) {
    status_[key].phase = ItemPhase::Polling;
    const std::int64_t op_id = monitor->op_id;
    const std::string phase = monitor->action;
    const std::string resource_id = monitor->resource_id;
    const std::string created_at = monitor->created_at;
    const std::string write_request_id = token->request_id;
    // The deadline runs from when the operation was sent (journal created_at, so also across a restart).
    const auto now = std::chrono::steady_clock::now();
    auto& deadline = deadline_[op_id];
    if (deadline == std::chrono::steady_clock::time_point{}) {
      // When this process sent it, its own clock; after a restart, the journal's (whole seconds).
      auto sent = now;
      if (const auto mine = sent_at_.find(op_id); mine != sent_at_.end())
        sent = mine->second;
      else if (const auto at = config::parse_rfc3339(created_at))
        sent -= std::max(std::chrono::steady_clock::duration::zero(),
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::system_clock::now() - *at));
      deadline = sent + options_.operation_deadline;
    }
    if (now >= deadline) {
      deadline_.erase(op_id);
      const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(options_.operation_deadline).count();
      const std::string why = "the operation had not ended " +
                              (minutes > 0 ? std::to_string(minutes) + " min"
                                           : std::to_string(options_.operation_deadline.count()) + " ms") +
                              " after it was sent; given up, the write is sent again later";
      status_[key].last_error = "OperationDeadlineExceeded: " + why;
      spdlog::warn("executor: {} of {}: {}", phase, resource_id, why);
      try {
        store_.journal_finished(op_id, "failed", std::nullopt, std::string("OperationDeadlineExceeded"), why);
      } catch (const std::exception& ex) {
        spdlog::error("executor: journal update failed: {}", ex.what());
      }
      resume_ids_.erase(key);
      sent_at_.erase(op_id);
      const std::string source =
          planned == plan_.end() || planned->second.source_id.empty() ? resource_id : planned->second.source_id;
      deadline_findings_[key] = translate::Finding{"operation-deadline-exceeded", translate::Severity::Warning, source,
                                                   phase + " of " + resource_id + ": " + why,
                                                   "none if a later attempt succeeds; otherwise check the resource "
                                                   "in the portal (ARM did not report an end)"};
      return finish(Outcome::retry("OperationDeadlineExceeded", RetrySpeed::Slow));
    }
    std::weak_ptr<int> life = alive_;
    auto on_poll = [this, life, key, op_id, phase, resource_id, created_at, write_request_id,
                    finish](azure::Result<azure::WriteOutcome> r) {
      if (life.expired()) return;
      try {
        if (!r || r.value().done) deadline_.erase(op_id);
        if (!r) {
          const auto& e = r.error();
          status_[key].last_error = e.to_string();
          log_azure_write(failed_write(phase, resource_id, write_ended(op_id, created_at), e,
                                       write_request_id.empty() ? e.request_id : write_request_id));
          try {
            store_.journal_finished(op_id, "failed", status_or_null(e.http_status), e.code, e.message);
          } catch (const std::exception& ex) {
            spdlog::error("executor: journal update failed: {}", ex.what());
          }
          resume_ids_.erase(key);
          // The next attempt begins again (ASO clears the token on a poll failure).
          return finish(e.retryable ? Outcome::retry(e.code) : Outcome::terminal(e.code));
        }
        const auto& w = r.value();
        if (!w.done) return finish(Outcome::poll_after(w.retry_after, "OperationInProgress"));
        log_azure_write(succeeded_write(phase, resource_id, write_ended(op_id, created_at), w.request_id));
        try {
          store_.journal_finished(op_id, "succeeded", status_or_null(w.http_status), std::nullopt, std::nullopt);
        } catch (const std::exception& ex) {
          spdlog::error("executor: journal update failed: {}", ex.what());
        }
        resume_ids_.erase(key);
        if ((phase == kReplaceDelete || phase == kRecoverDeletePhase) && plan_.count(key)) {
          return finish(Outcome::poll_after(std::chrono::milliseconds(1), "ReplaceCreate"));
        }
        finish(Outcome::done());
      } catch (const std::exception& ex) {
        internal_error(key, ex, finish);
      }
    };
    // No read-back of the result: nothing here uses it, and the next cycle's LIST observes it.
    client_.poll(*token, on_poll, azure::ReadBack::None);
    return;
  }
  begin(key, finish, done);
}

void Executor::begin(const std::string& key, const std::function<void(Outcome)>& finish, WorkQueue::Done done) {
  const auto planned = plan_.find(key);
  if (planned == plan_.end()) {
    // Its last operation ended (a resumed one, or one out when the plan dropped it); nothing planned.
    forget(key);
    return done();
  }
  const Action action = planned->second;
  if (terminal_.count(key)) {
    status_[key].phase = ItemPhase::Failed;  // a stale wake-up: it stays failed until its spec changes
    return done();
  }
  if (!dependencies_met(action, ready_, completed_)) {
    status_[key].phase = ItemPhase::WaitingForDependencies;
    waiting_.insert(key);
    return done();
  }

  std::vector<state::Operation> ops;
  try {
    ops = store_.operations_for(action.id);
  } catch (const std::exception& e) {
    spdlog::error("executor: journal read for {} failed: {}", action.id, e.what());
    return finish(Outcome::retry("JournalUnavailable", RetrySpeed::Slow));
  }
  std::string phase = to_string(action.kind);
  std::string method = action.method;
  if (action.kind == ActionKind::Replace) {
    // Where the replacement of this spec stands: DELETE first, then PUT.
    const state::Operation* last = nullptr;
    for (const auto& op : ops) {
      if (op.body_hash == action.desired_hash && (op.action == kReplaceDelete || op.action == kReplacePut)) last = &op;
    }
    if (last && last->action == kReplacePut && last->state == "succeeded") return finish(Outcome::done());
    const bool deleted = last && last->action == kReplaceDelete && last->state == "succeeded";
    phase = deleted ? kReplacePut : kReplaceDelete;
    method = deleted ? "PUT" : "DELETE";
  } else if (action.kind == ActionKind::Recover) {
    // Each recovery deletes the Failed compute, then creates it again: the PUT follows only a
    // DELETE of this recovery that succeeded (a failed PUT begins again with a DELETE, of a Failed
    // compute or of nothing).
    const state::Operation* last = nullptr;
    for (const auto& op : ops) {
      if (op.action == kRecoverDeletePhase || op.action == kRecoverPutPhase) last = &op;
    }
    const bool deleted = last && last->action == kRecoverDeletePhase && last->state == "succeeded";
    phase = deleted ? kRecoverPutPhase : kRecoverDeletePhase;
    method = deleted ? "PUT" : "DELETE";
  }
  if (action.resource_kind == translate::Kind::Job && method == "PUT") {
    for (const auto& op : ops) {
      if (op.method == "PUT" && op.state == "succeeded") {
        spdlog::info("executor: job {} was submitted before (journal op {}); not submitting it again", action.id,
                     op.op_id);
        return finish(Outcome::done());
      }
    }
  }
  send(key, action, phase, method, finish);
}

void Executor::send(const std::string& key, const Action& action, const std::string& phase, const std::string& method,
                    const std::function<void(Outcome)>& finish) {
  nlohmann::json body;
  if (method != "DELETE") {
    std::string why;
    auto resolved = resolve_secret_refs(action.resource_kind, action.body, &why);
    if (!resolved) {
      status_[key].last_error = why;
      spdlog::error("executor: {} of {} not sent: {}", phase, action.id, why);
      return finish(Outcome::retry("SecretUnavailable", RetrySpeed::Slow));
    }
    body = std::move(*resolved);
  }

  state::Operation intent;
  intent.resource_id = action.id;
  intent.action = phase;
  intent.method = method;
  const std::string target = method == "POST" ? action.id + "/" + action.post_action : action.id;
  intent.url = client_.url_for(target);
  intent.body_hash = action.desired_hash;
  intent.source_id = action.source_id;
  std::int64_t op_id = 0;
  try {
    op_id = store_.journal_intent(intent);
  } catch (const std::exception& e) {
    spdlog::error("executor: journal intent for {} failed, not sending: {}", action.id, e.what());
    return finish(Outcome::retry("JournalUnavailable", RetrySpeed::Slow));
  }

  status_[key].phase = ItemPhase::InFlight;
  // The write's outcome is the line at info (log_azure_write); this one only says why it is sent.
  spdlog::debug("executor: {} {} ({}; {})", method, action.id, phase, action.reason);
  sent_at_[op_id] = std::chrono::steady_clock::now();
  std::weak_ptr<int> life = alive_;
  // The audit log keeps one row per write request, whatever became of it (the journal row is
  // updated in place; this history is append-only).
  auto audit = [this, op_id, intent, started = std::chrono::steady_clock::now()](
                   std::optional<std::int64_t> http_status, std::string outcome, std::string request_id) {
    state::AuditRecord rec;
    rec.op_id = op_id;
    rec.resource_id = intent.resource_id;
    rec.method = intent.method;
    rec.url = intent.url;
    rec.body_hash = intent.body_hash;
    rec.client_request_id = std::move(request_id);
    rec.http_status = http_status;
    rec.outcome = std::move(outcome);
    rec.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    try {
      store_.append_audit(rec);
    } catch (const std::exception& ex) {
      spdlog::error("executor: audit log append for {} failed: {}", rec.resource_id, ex.what());
    }
  };
  auto on_result = [this, life, key, op_id, phase, resource_id = action.id, finish,
                    audit](azure::Result<azure::WriteOutcome> r) {
    if (life.expired()) return;
    try {
      if (!r) {
        const auto& e = r.error();
        audit(status_or_null(e.http_status), "failed: " + e.code, e.request_id);
        status_[key].last_error = e.to_string();
        log_azure_write(failed_write(phase, resource_id, write_ended(op_id, ""), e, e.request_id));
        try {
          store_.journal_finished(op_id, "failed", status_or_null(e.http_status), e.code, e.message);
        } catch (const std::exception& ex) {
          spdlog::error("executor: journal update failed: {}", ex.what());
        }
        return finish(e.retryable ? Outcome::retry(e.code) : Outcome::terminal(e.code));
      }
      const auto& w = r.value();
      audit(status_or_null(w.http_status), w.done ? "succeeded" : "accepted", w.request_id);
      if (w.done) log_azure_write(succeeded_write(phase, resource_id, write_ended(op_id, ""), w.request_id));
      try {
        if (!w.done && w.operation) {
          store_.journal_sent(op_id, status_or_null(w.http_status), w.operation->to_json());
        } else {
          store_.journal_finished(op_id, "succeeded", status_or_null(w.http_status), std::nullopt, std::nullopt);
        }
      } catch (const std::exception& ex) {
        spdlog::error("executor: journal update failed: {}", ex.what());
      }
      if (!w.done) return finish(Outcome::poll_after(w.retry_after, "OperationInProgress"));
      if ((phase == kReplaceDelete || phase == kRecoverDeletePhase) && plan_.count(key))
        return finish(Outcome::poll_after(std::chrono::milliseconds(1), "ReplaceCreate"));
      finish(Outcome::done());
    } catch (const std::exception& ex) {
      internal_error(key, ex, finish);
    }
  };
  if (method == "PUT") {
    client_.begin_put(action.id, body, on_result);
  } else if (method == "PATCH") {
    client_.begin_patch(action.id, body, on_result);
  } else if (method == "DELETE") {
    client_.begin_delete(action.id, on_result);
  } else if (method == "POST" && !action.post_action.empty()) {
    client_.begin_post(target, body, on_result);
  } else {
    sent_at_.erase(op_id);  // nothing was sent
    try {
      store_.journal_finished(op_id, "failed", std::nullopt, std::string("UnsupportedMethod"), method);
    } catch (const std::exception&) {
    }
    finish(Outcome::terminal("UnsupportedMethod"));
  }
}

std::chrono::milliseconds Executor::write_ended(std::int64_t op_id, const std::string& created_at) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const auto sent = sent_at_.find(op_id);
  if (sent != sent_at_.end()) {
    const auto took = duration_cast<milliseconds>(std::chrono::steady_clock::now() - sent->second);
    sent_at_.erase(sent);
    return took;
  }
  const auto journalled = config::parse_rfc3339(created_at);
  if (!journalled) return milliseconds(0);
  return std::max(milliseconds(0), duration_cast<milliseconds>(std::chrono::system_clock::now() - *journalled));
}

void Executor::apply(const std::string& key, const Outcome& outcome) {
  const NextAttempt next = calculator_.next(key, outcome);
  if (outcome.kind == Outcome::Kind::Done && !plan_.count(key)) {
    // The last request of an item the plan does not ask for (any more) ended: the item is
    // forgotten, as submit forgets one with nothing out. It does not count as completed: what it
    // did (a recovery's DELETE, say) is no reason for its dependents to go; the next pass observes it.
    forget(key);
    return;
  }
  auto& st = status_[key];
  switch (outcome.kind) {
    case Outcome::Kind::Done:
      deadline_findings_.erase(key);
      st.phase = ItemPhase::Succeeded;
      st.failures = 0;
      st.last_error.clear();
      completed_.insert(key);
      wake_waiting();
      break;
    case Outcome::Kind::PollAfter:
      st.phase = ItemPhase::Polling;
      if (outcome.reason == "ReplaceCreate") st.phase = ItemPhase::Queued;
      queue_.add_after(key, next.after.value_or(options_.next.default_poll));
      break;
    case Outcome::Kind::RetryBackoff:
      st.phase = ItemPhase::BackingOff;
      st.failures = next.failures;
      queue_.add_after(key, next.after.value_or(options_.backoff_cap));
      break;
    case Outcome::Kind::Terminal: {
      st.phase = ItemPhase::Failed;
      ++st.failures;
      const auto planned = plan_.find(key);
      if (planned == plan_.end()) break;
      terminal_[key] = planned->second.desired_hash;
      const Action& a = planned->second;
      findings_[key] = translate::Finding{
          "write-failed", translate::Severity::Error, a.source_id.empty() ? a.id : a.source_id,
          std::string(to_string(a.kind)) + " of " + a.id + " failed and is not retried: " +
              (st.last_error.empty() ? outcome.reason : st.last_error),
          "fix the cause (config or the Batch AI source); the resource is retried when its desired spec changes"};
      break;
    }
  }
}

}  // namespace bai2aml::reconcile
