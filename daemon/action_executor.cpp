#include "daemon/action_executor.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>

#include "daemon/logging.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/body_hash.hpp"
#include "reconcile/secret_resolver.hpp"

namespace bai2aml::daemon {
namespace {

using Steady = std::chrono::steady_clock;

ActionResult failure(const azure::ArmError& e) {
  return {false, e.retryable, e.http_status, e.code, e.message};
}

std::string method_of(azure::OperationKind kind) {
  switch (kind) {
    case azure::OperationKind::Put: return "PUT";
    case azure::OperationKind::Patch: return "PATCH";
    case azure::OperationKind::Delete: return "DELETE";
    case azure::OperationKind::Post: return "POST";
  }
  return "?";
}

}  // namespace

// One execute() call: the ready set grows as actions complete.
class ActionExecutor::Run : public std::enable_shared_from_this<ActionExecutor::Run> {
 public:
  Run(ActionExecutor& ex, std::vector<reconcile::Action> actions, reconcile::ReadyIndex observed,
      std::set<std::string> skip, std::function<bool()> stopping, std::function<void(ActionResults)> done)
      : ex_(ex), actions_(std::move(actions)), observed_(std::move(observed)), skip_(std::move(skip)),
        stopping_(std::move(stopping)), done_(std::move(done)) {}

  void pump() {
    if (!stopping_()) {
      for (std::size_t i : reconcile::ready_actions(actions_, observed_, completed_)) {
        if (in_flight_ >= ex_.max_parallel_) break;
        const auto key = reconcile::id_key(actions_[i].id);
        if (started_.count(key) || skip_.count(key)) continue;
        started_.insert(key);
        ++in_flight_;
        start(actions_[i]);
      }
    }
    if (in_flight_ == 0 && !finished_) {
      finished_ = true;
      auto done = std::move(done_);
      done(std::move(results_));
    }
  }

 private:
  void start(const reconcile::Action& action) {
    std::string why;
    auto body = action.body.is_null() ? std::optional<nlohmann::json>(nlohmann::json())
                                      : reconcile::resolve_secret_refs(action.body, &why);
    if (!body) {
      complete(action, {false, false, 0, "SecretFileUnreadable", why});
      return;
    }
    if (action.kind == reconcile::ActionKind::Replace) {
      // Immutable fields: the old compute goes first, then the new one is created.
      write(action, azure::OperationKind::Delete, nlohmann::json(), "replace-delete",
            [self = shared_from_this(), action, b = *body](ActionResult r) {
              if (!r.succeeded) return self->complete(action, r);
              self->write(action, azure::OperationKind::Put, b, "replace-create",
                          [self, action](ActionResult r2) { self->complete(action, r2); });
            });
      return;
    }
    const auto kind = action.method == "PATCH"    ? azure::OperationKind::Patch
                      : action.method == "DELETE" ? azure::OperationKind::Delete
                                                  : azure::OperationKind::Put;
    write(action, kind, *body, reconcile::to_string(action.kind),
          [self = shared_from_this(), action](ActionResult r) { self->complete(action, r); });
  }

  // One write request and its long-running operation, journalled and audited.
  void write(const reconcile::Action& action, azure::OperationKind kind, const nlohmann::json& body,
             const std::string& label, std::function<void(ActionResult)> then) {
    auto& store = ex_.store_;
    state::Operation op;
    op.resource_id = action.id;
    op.action = label;
    op.method = method_of(kind);
    op.url = ex_.client_.url_for(action.id);
    op.body_hash = action.body.is_null() ? "" : reconcile::body_hash(action.body);  // of the spec, never the secrets
    const auto op_id = store.journal_intent(op);  // durable before the request leaves
    const auto t0 = Steady::now();
    auto self = shared_from_this();
    auto on_begin = [self, action, op, op_id, t0, label, then](azure::Result<azure::WriteOutcome> r) {
      auto& st = self->ex_.store_;
      state::AuditRecord audit;
      audit.op_id = op_id;
      audit.resource_id = op.resource_id;
      audit.method = op.method;
      audit.url = op.url;
      audit.body_hash = op.body_hash;
      audit.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count();
      if (!r.ok()) {
        audit.client_request_id = r.error().request_id;
        audit.http_status = r.error().http_status;
        audit.outcome = "failed: " + r.error().code;
        st.append_audit(audit);
        st.journal_finished(op_id, "failed", r.error().http_status, r.error().code, r.error().message);
        self->log_write(label, op.resource_id, false, r.error().to_string(), t0, r.error().request_id);
        return then(failure(r.error()));
      }
      const auto& out = r.value();
      audit.http_status = out.http_status;
      audit.outcome = out.done ? "succeeded" : "accepted";
      st.append_audit(audit);
      if (out.done) {
        st.journal_sent(op_id, out.http_status, std::nullopt);
        st.journal_finished(op_id, "succeeded", out.http_status, std::nullopt, std::nullopt);
        self->log_write(label, op.resource_id, true, "succeeded", t0, "");
        return then({true, false, out.http_status, "", ""});
      }
      // Accepted: the token is journalled before polling, so a restart resumes this operation.
      st.journal_sent(op_id, out.http_status, out.operation->to_json());
      self->ex_.client_.wait(*out.operation, [self, op, op_id, t0, label, then](azure::Result<azure::WriteOutcome> w) {
        auto& st2 = self->ex_.store_;
        if (!w.ok()) {
          st2.journal_finished(op_id, "failed", w.error().http_status, w.error().code, w.error().message);
          self->log_write(label, op.resource_id, false, w.error().to_string(), t0, w.error().request_id);
          return then(failure(w.error()));
        }
        st2.journal_finished(op_id, "succeeded", w.value().http_status, std::nullopt, std::nullopt);
        self->log_write(label, op.resource_id, true, "succeeded", t0, "");
        then({true, false, w.value().http_status, "", ""});
      });
    };
    switch (kind) {
      case azure::OperationKind::Put: ex_.client_.begin_put(action.id, body, on_begin); break;
      case azure::OperationKind::Patch: ex_.client_.begin_patch(action.id, body, on_begin); break;
      case azure::OperationKind::Delete: ex_.client_.begin_delete(action.id, on_begin); break;
      case azure::OperationKind::Post: ex_.client_.begin_post(action.id, body, on_begin); break;
    }
  }

  void log_write(const std::string& label, const std::string& id, bool ok, const std::string& outcome,
                 Steady::time_point t0, const std::string& request_id) {
    AzureWrite w;
    w.action = label;
    w.resource_id = id;
    w.succeeded = ok;
    w.outcome = outcome;
    w.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0);
    w.request_id = request_id;
    log_azure_write(w);
  }

  void complete(const reconcile::Action& action, const ActionResult& r) {
    const auto key = reconcile::id_key(action.id);
    results_[key] = r;
    if (r.succeeded) completed_.insert(key);
    --in_flight_;
    pump();
  }

  ActionExecutor& ex_;
  std::vector<reconcile::Action> actions_;
  reconcile::ReadyIndex observed_;
  std::set<std::string> skip_;
  std::function<bool()> stopping_;
  std::function<void(ActionResults)> done_;
  std::set<std::string> started_, completed_;
  ActionResults results_;
  int in_flight_ = 0;
  bool finished_ = false;
};

ActionExecutor::ActionExecutor(azure::ArmClient& client, state::Store& store, int max_parallel)
    : client_(client), store_(store), max_parallel_(max_parallel < 1 ? 1 : max_parallel) {}

void ActionExecutor::execute(std::vector<reconcile::Action> actions, reconcile::ReadyIndex observed,
                             std::set<std::string> skip, std::function<bool()> stopping,
                             std::function<void(ActionResults)> done) {
  auto run = std::make_shared<Run>(*this, std::move(actions), std::move(observed), std::move(skip), std::move(stopping),
                                   std::move(done));
  run->pump();
}

void ActionExecutor::resume_open_operations(std::function<void(int)> done) {
  auto open = store_.open_operations();
  auto remaining = std::make_shared<int>(0);
  auto resumed = std::make_shared<int>(0);
  auto finish = std::make_shared<std::function<void(int)>>(std::move(done));
  for (const auto& op : open) {
    std::optional<azure::OperationToken> token;
    if (op.poll_url) token = azure::OperationToken::from_json(*op.poll_url);
    if (!token) {
      // Sent or not, we cannot know: the next diff decides whether the idempotent PUT goes again.
      store_.journal_finished(op.op_id, "abandoned", std::nullopt, std::string("Interrupted"),
                              std::string("the process stopped before the outcome was known"));
      continue;
    }
    ++*remaining;
    ++*resumed;
    spdlog::info("resuming {} {} from the journal (operation {})", op.method, op.resource_id, op.op_id);
    const auto op_id = op.op_id;
    client_.wait(*token, [this, op_id, remaining, resumed, finish](azure::Result<azure::WriteOutcome> r) {
      if (r.ok()) store_.journal_finished(op_id, "succeeded", r.value().http_status, std::nullopt, std::nullopt);
      else store_.journal_finished(op_id, "failed", r.error().http_status, r.error().code, r.error().message);
      if (--*remaining == 0) (*finish)(*resumed);
    });
  }
  if (*remaining == 0) (*finish)(*resumed);
}

}  // namespace bai2aml::daemon
