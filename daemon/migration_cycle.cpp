#include "daemon/migration_cycle.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <map>
#include <set>

#include "azure/arm_client.hpp"
#include "azure/batchai_reader.hpp"
#include "azure/request_counters.hpp"
#include "daemon/cutoff.hpp"
#include "daemon/journal_compaction.hpp"
#include "daemon/journal_inputs.hpp"
#include "daemon/retained_inventory.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/diff.hpp"
#include "reconcile/executor.hpp"
#include "reconcile/identity.hpp"
#include "reconcile/observer.hpp"
#include "reconcile/quota.hpp"
#include "reconcile/source_retirement.hpp"
#include "reconcile/text.hpp"
#include "state/content_hash.hpp"
#include "state/store.hpp"
#include "translate/secret_scrub.hpp"
#include "translate/translate.hpp"

namespace bai2aml::daemon {
namespace {

using Steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A pass whose executor neither began nor ended any processing this long, with no request out,
// while items still hold the pass, is stuck (a bug): the warning names what holds it.
constexpr auto kStallWarning = 60s;

// The inventory as the store keeps it (secrets stripped, one resource per id, in id order without
// regard to case), so that translating this pass's read in memory equals translating the stored rows.
std::vector<nlohmann::json> stored_form(std::vector<nlohmann::json> resources) {
  std::map<std::string, nlohmann::json> by_id;
  for (auto& r : resources) {
    std::string key = r.is_object() && r.contains("id") && r["id"].is_string() ? r["id"].get<std::string>() : "";
    key = reconcile::ascii_lower(std::move(key));
    translate::scrub_secrets_in_place(r);
    by_id[key] = std::move(r);  // moved, not copied: 30,000 resources are not held twice
  }
  std::vector<nlohmann::json> out;
  out.reserve(by_id.size());
  for (auto& entry : by_id) out.push_back(std::move(entry.second));
  return out;
}

bool same_azure(const config::Azure& a, const config::Azure& b) {
  return a.arm_endpoint == b.arm_endpoint && a.authority == b.authority && a.allow_insecure_loopback == b.allow_insecure_loopback &&
         a.ca_file == b.ca_file && a.auth.method == b.auth.method && a.auth.tenant_id == b.auth.tenant_id &&
         a.auth.client_id == b.auth.client_id && a.auth.client_secret_file == b.auth.client_secret_file &&
         a.auth.federated_token_file == b.auth.federated_token_file && a.auth.imds_endpoint == b.auth.imds_endpoint;
}

}  // namespace

class MigrationCycle::Impl : public std::enable_shared_from_this<MigrationCycle::Impl> {
 public:
  Impl(boost::asio::io_context& io, state::Store& store, std::shared_ptr<azure::RequestCounters> counters)
      : io_(io), store_(store), counters_(std::move(counters)) {}

  void set_config(const config::Config& cfg) { next_cfg_ = cfg; }
  bool running() const { return running_; }

  PassProgress progress() const {
    PassProgress p = progress_;
    if (p.stage != PassStage::Executing || !executor_) return p;
    std::int64_t succeeded = 0, failed = 0;
    for (const auto& st : executor_->statuses()) {
      const auto key = reconcile::id_key(st.id);
      if (!write_keys_.count(key)) continue;
      const bool aml = !source_actions_.count(key);
      switch (st.phase) {
        case reconcile::ItemPhase::Succeeded: ++p.writes_done; if (aml) ++succeeded; break;
        case reconcile::ItemPhase::Failed: ++p.writes_done; if (aml) ++failed; break;
        case reconcile::ItemPhase::BackingOff: if (aml) ++failed; break;
        case reconcile::ItemPhase::InFlight:
        case reconcile::ItemPhase::Polling: ++p.in_flight; break;
        default: break;
      }
    }
    p.in_sync += succeeded;
    p.failed += failed;
    p.pending = std::max<std::int64_t>(0, p.total - p.in_sync - p.failed - p.blocked);
    return p;
  }
  void stop() { stopping_ = true; }
  void close() {
    // Users of the client first; the client's transport waits for its in-flight requests.
    executor_.reset();
    reader_.reset();
    observer_.reset();
    client_.reset();
  }

  void run(std::function<void(CycleReport)> done) {
    if (running_) throw std::logic_error("a reconcile pass is already running");
    if (!next_cfg_) throw std::logic_error("MigrationCycle::run before set_config");
    running_ = true;
    done_ = std::move(done);
    if (!cfg_ || !client_ || !same_azure(cfg_->azure, next_cfg_->azure)) {
      executor_.reset();  // it holds a reference to the client it replaces
      client_ = std::make_unique<azure::ArmClient>(io_, next_cfg_->azure, azure::ArmClientOptions{}, counters_);
      reconcile::ExecutorOptions options;
      options.max_parallel = static_cast<std::size_t>(next_cfg_->azure.max_parallel);
      executor_ = std::make_unique<reconcile::Executor>(io_, *client_, store_, options);
      resume_pending_ = true;
    }
    cfg_ = next_cfg_;
    report_ = {};
    source_error_.reset();
    const auto last = store_.last_cycle();
    report_.number = last ? last->number + 1 : 1;
    started_at_ = Clock::now();
    t0_ = Steady::now();
    writes_before_ = count_writes();
    progress_ = {};
    progress_.cycle = report_.number;
    progress_.started = t0_;
    progress_.started_at = started_at_;
    stage(PassStage::ReadingSource);
    guarded([&] { read_source(); });
  }

 private:
  void stage(PassStage s) { progress_.stage = s; }

  // Every step of a pass runs guarded: one that throws (a bug, or SQLite "database is locked"
  // because another process held the write lock past the busy timeout) ends this pass, degraded,
  // with the error in status and the cycles table; the daemon goes on and the next pass starts
  // over. Unguarded, the exception would leave io_context::run() and end the process, which
  // systemd restarts into the same failure. The executor guards each resource the same way.
  template <class Step>
  void guarded(Step&& step) {
    try {
      step();
    } catch (const std::exception& e) {
      abandon_pass(e.what());
    }
  }

  void abandon_pass(const std::string& what) {
    const std::string why = std::string("internal error while ") + to_string(progress_.stage) + ": " + what;
    if (!running_) {
      spdlog::error("{} (after its pass ended)", why);
      return;
    }
    spdlog::error("pass {}: {}; the pass ends here, the next one starts over", report_.number, why);
    try {
      finish(Phase::Degraded, why);
    } catch (const std::exception& e) {
      spdlog::error("pass {}: cannot end the pass cleanly: {}", report_.number, e.what());
    }
  }

  std::int64_t count_writes() const {
    std::int64_t n = 0;
    for (const auto& [key, count] : counters_->snapshot())
      if (key.first != "GET") n += static_cast<std::int64_t>(count);
    return n;
  }

  // 1. The source: the live Batch AI API or a snapshot file. When it cannot be read, the stored
  //    snapshot stays the source of truth (after the cutoff the API is gone for good).
  void read_source() {
    auto self = shared_from_this();
    auto on_inventory = [self](azure::Result<azure::Inventory, azure::SourceUnavailable> r) {
      self->guarded([&] { self->take_inventory(std::move(r)); });
    };
    if (!cfg_->source.inventory_file.empty()) {
      auto result = azure::load_inventory_file(cfg_->source.inventory_file, cfg_->source);
      boost::asio::post(io_, [on_inventory, result]() mutable { on_inventory(std::move(result)); });
    } else {
      reader_ = std::make_unique<azure::BatchAiReader>(*client_, cfg_->source, 4);
      reader_->read(on_inventory);
    }
  }

  // 1b. What the read gave: stored (the snapshot and the prune guard's ledger), then translated.
  void take_inventory(azure::Result<azure::Inventory, azure::SourceUnavailable> r) {
    const bool from_file = !cfg_->source.inventory_file.empty();
    if (r.ok()) {
      // The live read is kept for plan_source_retirement only when it can act (a second copy of
      // 30,000 resources otherwise); when it cannot, its plan is empty whatever the read.
      if (!from_file)
        live_read_ = reconcile::retirement_acts(cfg_->policy.retire_source, Clock::now() >= cfg_->cutoff)
                         ? r.value().resources
                         : std::vector<nlohmann::json>{};
      // Guarded deletion: what vanished stays in the snapshot until the prune guard releases it.
      auto kept = guard_read(store_, std::move(r.value().resources), Clock::now() >= cfg_->cutoff,
                                cfg_->source.subscription_id);
      store_.transaction([&] {
        inventory_ = stored_form(std::move(kept.inventory));
        store_.replace_inventory(inventory_, r.value().fetched_at);
        store_.replace_vanished_sources(kept.ledger);
        store_.set_source_status({from_file ? "snapshot" : "live", format_rfc3339(r.value().fetched_at), std::nullopt});
      });
      guard_findings_ = std::move(kept.findings);
      guard_awaiting_ = kept.awaiting_second_read;
    } else {
      auto previous = store_.source_status();
      const std::string why = std::string(azure::to_string(r.error().reason)) + ": " + r.error().message;
      store_.set_source_status({"snapshot", previous.fetched_at, why});
      source_error_ = why;
      spdlog::warn("Batch AI source unreadable ({}); continuing from the snapshot of {} ({})", why,
                   previous.fetched_at.value_or("never"), cutoff_countdown(cfg_->cutoff, Clock::now()));
    }
    if (stopping_) return finish(Phase::Converging, std::nullopt);
    translate_desired();
  }

  // 2. Translate the stored inventory into the desired AML state (pure), and record it.
  void translate_desired() {
    stage(PassStage::Translating);
    // This pass's read, as stored; the stored snapshot only when the source could not be read.
    std::vector<nlohmann::json> inventory = std::move(inventory_);
    inventory_.clear();
    if (inventory.empty())
      for (auto& item : store_.inventory()) inventory.push_back(std::move(item.body));
    if (inventory.empty() && !store_.source_status().fetched_at)
      return finish(Phase::Degraded, "no Batch AI inventory has ever been read: " + source_error_.value_or("empty source"));
    // Names AML already holds, as the last pass observed them; observe() checks them against this pass's.
    hints_ = stored_name_hints(store_, reconcile::source_scope(cfg_->source));
    std::vector<translate::ConfigProblem> problems;  // validate_mapping()'s, from the same translation
    translation_ = translate::translate(inventory, *cfg_, hints_, problems);
    if (!problems.empty()) {
      translation_ = {};
      std::string msg = "config does not fit the inventory (nothing is written until it does):";
      for (const auto& p : problems) msg += " " + p.path + ": " + p.message + ";";
      return finish(Phase::Degraded, msg);
    }
    // Not held past translation (30,000 resources as JSON trees): the rare second translation
    // (retranslate_if_names_moved) reads the stored snapshot, which is this very inventory.
    inventory = {};
    store_.transaction([&] {
      spec_hashes_ = store_.replace_desired(translation_.resources);
      store_.replace_findings("translate", translation_.findings);
    });
    release_stored_translation_parts();
    if (resume_pending_) {
      // Operations a previous process left open are polled to their end (or re-sent) first.
      resume_pending_ = false;
      if (const auto resumed = executor_->resume_journal(); resumed > 0)
        spdlog::info("{} journalled operation(s) resumed", resumed);
    }
    observe();
  }

  // The translation's findings (20,000 job-finished ones at size) and name map are stored and not
  // read again this pass: not held through observation and planning.
  void release_stored_translation_parts() {
    translation_.findings = {};
    translation_.names = {};
  }

  // 3. Observe the live AML state, LIST per collection. A resource missing from a failed LIST
  //    would look absent: without the workspaces nothing is planned; a workspace whose own LISTs
  //    failed is an unobserved scope, left untouched this pass (DiffInputs::unobserved_scopes).
  void observe() {
    stage(PassStage::Observing);
    std::set<std::string> version_containers;
    for (const auto& d : translation_.resources)
      if (d.kind == translate::Kind::EnvironmentVersion) version_containers.insert(reconcile::parent_of(d.id));
    const std::string rg = "/subscriptions/" + cfg_->target.subscription_id + "/resourceGroups/" + cfg_->target.resource_group;
    observer_ = std::make_unique<reconcile::Observer>(*client_);
    auto self = shared_from_this();
    observer_->observe(rg, version_containers, [self, version_containers](reconcile::Observation obs) {
      self->guarded([&] { self->take_observation(std::move(obs), version_containers); });
    });
  }

  // 3a. What AML holds, as observed: stored, then planned against.
  void take_observation(reconcile::Observation obs, const std::set<std::string>& version_containers) {
    if (!obs.usable()) {
      std::string why = obs.errors.empty() ? "the workspaces could not be listed" : obs.errors.front();
      return finish(Phase::Degraded, "cannot observe AML: " + why);
    }
    unobserved_scopes_ = obs.incomplete;
    scope_findings_ = reconcile::unobserved_scope_findings(obs);
    observed_ = std::move(obs.resources);
    const auto scope = reconcile::source_scope(cfg_->source);
    // The bodies are lent to the records and taken back: 10,000 AML resources are not held twice.
    std::vector<state::ObservedRecord> records;
    records.reserve(observed_.size());
    for (auto& o : observed_) {
      std::string provisioning = reconcile::provisioning_state(o.body);
      const bool owned = reconcile::owned_here(o, scope);
      records.push_back({o.id, translate::to_string(o.kind), std::move(o.body), std::move(provisioning), owned, ""});
    }
    store_.replace_observed(records);
    for (std::size_t i = 0; i < records.size(); ++i) observed_[i].body = std::move(records[i].body);
    retranslate_if_names_moved(version_containers);
    plan();
  }

  // 3b. Names follow what AML holds (issue 12): a resource keeps the name it exists under, and no
  //     name another source holds is given away. When this observation says otherwise than the last
  //     one, translate again; environments whose versions were not listed wait a pass.
  void retranslate_if_names_moved(const std::set<std::string>& listed_containers) {
    auto fresh = reconcile::name_hints(observed_, reconcile::source_scope(cfg_->source));
    if (fresh == hints_) return;
    hints_ = std::move(fresh);
    {
      std::vector<nlohmann::json> inventory;
      for (auto& item : store_.inventory()) inventory.push_back(std::move(item.body));
      translation_ = translate::translate(inventory, *cfg_, hints_);
    }
    store_.transaction([&] {
      spec_hashes_ = store_.replace_desired(translation_.resources);
      store_.replace_findings("translate", translation_.findings);
    });
    release_stored_translation_parts();
    std::set<std::string> listed;
    for (const auto& c : listed_containers) listed.insert(reconcile::id_key(c));
    for (const auto& d : translation_.resources)
      if (d.kind == translate::Kind::EnvironmentVersion && !listed.count(reconcile::id_key(reconcile::parent_of(d.id))))
        unlisted_containers_.insert(reconcile::parent_of(d.id));
  }

  // 4. Diff (pure) and the quota pre-flight for new computes.
  void plan() {
    stage(PassStage::Planning);
    reconcile::DiffInputs inputs;
    inputs.policy = cfg_->policy;
    inputs.scope = reconcile::source_scope(cfg_->source);
    for (const auto& id : reconcile::computes_with_active_jobs(observed_)) inputs.computes_with_active_jobs.insert(id);
    add_journal_inputs(store_, translation_.resources, inputs);
    // Desired jobs AML lists, tagged as ours, that the journal does not know as submitted: a PUT
    // whose answer was lost.
    std::map<std::string, std::string> desired_jobs;  // AML id key -> Batch AI id key
    for (const auto& d : translation_.resources)
      if (d.kind == translate::Kind::Job) desired_jobs[reconcile::id_key(d.id)] = reconcile::id_key(d.source_id);
    for (const auto& o : observed_)
      if (o.kind == translate::Kind::Job && reconcile::owned_here(o, inputs.scope) &&
          desired_jobs.count(reconcile::id_key(o.id)) &&
          desired_jobs[reconcile::id_key(o.id)] == reconcile::id_key(reconcile::source_tag(o)) &&
          !inputs.submitted_jobs.count(reconcile::id_key(o.id)))
        record_lost_submission(store_.operations_for(o.id), reconcile::id_key(o.id), inputs);
    inputs.unobserved_scopes = unobserved_scopes_;
    for (const auto& c : unlisted_containers_) inputs.unobserved_scopes.insert(c);
    plan_ = reconcile::diff(translation_.resources, observed_, inputs);
    for (auto& f : scope_findings_) plan_.findings.push_back(std::move(f));
    for (auto& f : guard_findings_) plan_.findings.push_back(std::move(f));
    plan_source_retirement(inputs);

    // The quota pre-flight, by AML's rules (reconcile/quota.hpp): new computes, and new jobs that
    // could never fit their compute's quota.
    std::vector<translate::DesiredResource> new_computes, new_jobs, existing_computes;
    std::map<std::string, nlohmann::json> compute_bodies;
    std::map<std::string, const translate::DesiredResource*> by_key;
    for (const auto& o : observed_)
      if (o.kind == translate::Kind::Compute) compute_bodies[reconcile::id_key(o.id)] = o.body;
    for (const auto& d : translation_.resources) {
      by_key[reconcile::id_key(d.id)] = &d;
      if (d.kind != translate::Kind::Compute) continue;
      if (compute_bodies.count(reconcile::id_key(d.id))) existing_computes.push_back(d);
      compute_bodies[reconcile::id_key(d.id)] = d.body;
    }
    for (const auto& a : plan_.actions) {
      if (a.kind != reconcile::ActionKind::Create) continue;
      const auto it = by_key.find(reconcile::id_key(a.id));
      if (it == by_key.end()) continue;
      if (a.resource_kind == translate::Kind::Compute) new_computes.push_back(*it->second);
      if (a.resource_kind == translate::Kind::Job) new_jobs.push_back(*it->second);
    }
    if (new_computes.empty() && new_jobs.empty()) {
      // Nothing new to check: the quota-max-exceeded warnings of existing computes stay, from the
      // figures last fetched (no requests for them on a no-op pass).
      if (last_quota_)
        reconcile::hold_for_quota(plan_, reconcile::check_quota({}, last_quota_->vm_sizes, last_quota_->usages,
                                                                existing_computes));
      return execute();
    }
    auto self = shared_from_this();
    reconcile::fetch_quota_inputs(
        *client_, cfg_->target.subscription_id, cfg_->target.location,
        [self, new_computes, new_jobs, compute_bodies, existing_computes](reconcile::QuotaInputs q) {
          self->guarded([&] {
            if (!q.errors.empty()) {
              // Without the figures ARM still has the last word on quota.
              spdlog::warn("quota pre-flight skipped: {}", q.errors.front());
              return self->execute();
            }
            self->last_quota_ = q;
            reconcile::hold_for_quota(self->plan_,
                                      reconcile::check_quota(new_computes, q.vm_sizes, q.usages, existing_computes));
            reconcile::hold_for_quota(self->plan_,
                                      reconcile::check_job_quota(new_jobs, compute_bodies, q.vm_sizes, q.usages));
            self->execute();
          });
        });
  }

  // A job PUT whose answer was lost (the process died; the row was abandoned) and whose job AML now
  // lists was a submission: the journal says so, durably, so that the job is never sent again,
  // even if it later disappears from AML.
  void record_lost_submission(const std::vector<state::Operation>& ops, const std::string& key,
                              reconcile::DiffInputs& inputs) {
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
      if (it->method != "PUT" || (it->state != "abandoned" && it->state != "failed")) continue;
      try {
        store_.journal_finished(it->op_id, "succeeded", std::nullopt, std::nullopt,
                                std::string("the answer was lost; the job was found in AML afterwards"));
        inputs.submitted_jobs.insert(key);
        if (!it->body_hash.empty()) inputs.last_applied_hash[key] = it->body_hash;
      } catch (const std::exception& e) {
        spdlog::error("journal update for {} failed: {}", it->resource_id, e.what());
      }
      return;
    }
  }

  // 4b. The Batch AI writes policy.retire_source allows: decided on this pass's live read only.
  void plan_source_retirement(const reconcile::DiffInputs& diff_inputs) {
    reconcile::SourceRetirementInputs in;
    in.scope = diff_inputs.scope;
    in.submitted_jobs = diff_inputs.submitted_jobs;
    in.submitted_sources = diff_inputs.submitted_sources;
    in.mode = cfg_->policy.retire_source;
    in.cutoff_passed = Clock::now() >= cfg_->cutoff;
    in.source_live = live_read_.has_value();
    if (live_read_) in.live = std::move(*live_read_);
    in.desired = &translation_.resources;
    in.observed = &observed_;
    in.terminated = jobs_terminated_by_bai2aml(store_);
    auto retirement = reconcile::plan_source_retirement(in);
    retirement_acting_ = retirement.acting;
    for (auto& a : retirement.actions) {
      source_actions_.insert(reconcile::id_key(a.id));
      plan_.actions.push_back(std::move(a));
    }
    for (auto& f : retirement.findings) plan_.findings.push_back(std::move(f));
    live_read_.reset();
  }

  // 5. Hand the plan to the executor (journal first, dependency order, per-resource backoff) and
  //    end the pass when nothing is queued, in flight or polling any more.
  void execute() {
    count_plan();
    executor_->submit(plan_.actions, observed_);
    stage(PassStage::Executing);
    progress_.executing_since = Steady::now();
    stall_mark_ = executor_->activity();
    stall_since_ = progress_.executing_since;
    stall_warned_ = false;
    wait_until_quiet();
  }

  // The pass's starting figures: what is in sync without a write, what is blocked, what will be
  // written; progress() adds what the executor has done since.
  void count_plan() {
    std::map<std::string, const reconcile::Action*> action_of;
    for (const auto& a : plan_.actions) {
      action_of[reconcile::id_key(a.id)] = &a;
      if (a.writes()) {
        write_keys_.insert(reconcile::id_key(a.id));
        ++progress_.writes_planned;
      }
    }
    std::set<std::string> ready;
    for (const auto& o : observed_)
      if (reconcile::is_ready(o)) ready.insert(reconcile::id_key(o.id));
    progress_.total = static_cast<std::int64_t>(translation_.resources.size());
    for (const auto& d : translation_.resources) {
      const auto key = reconcile::id_key(d.id);
      const auto it = action_of.find(key);
      if (it != action_of.end() && it->second->failed) ++progress_.failed;  // provisioning Failed for good
      else if (it != action_of.end() && it->second->kind == reconcile::ActionKind::Blocked) ++progress_.blocked;
      else if ((it == action_of.end() || !it->second->writes()) && ready.count(key)) ++progress_.in_sync;
    }
    progress_.pending = progress_.total - progress_.in_sync - progress_.blocked - progress_.failed;
  }

  bool quiet() const { return !executor_->holds_a_pass(); }

  void wait_until_quiet() {
    if (stopping_) {
      auto self = shared_from_this();
      executor_->shut_down(std::chrono::seconds(20), [self](bool) { self->guarded([&] { self->record_statuses(); }); });
      return;
    }
    if (quiet()) return record_statuses();
    warn_if_stalled();
    auto self = shared_from_this();
    quiet_timer_.expires_after(20ms);
    quiet_timer_.async_wait([self](const boost::system::error_code& ec) {
      if (ec) return;
      self->guarded([&] { self->wait_until_quiet(); });
    });
  }

  // The safety net for an item left in a phase the pass waits on with nothing to move it on (as a
  // recovery's DELETE ending after the plan dropped it once did: the pass hung until the timeout):
  // once per pass, the items holding it, so that the log says which and why. A poll waiting for a
  // long Retry-After is not stuck, nor is a request out (the transport's timeout ends it).
  void warn_if_stalled() {
    const auto now = Steady::now();
    if (const auto mark = executor_->activity(); mark != stall_mark_) {
      stall_mark_ = mark;
      stall_since_ = now;
      return;
    }
    if (stall_warned_ || now - stall_since_ < kStallWarning) return;
    stall_since_ = now;  // looked at: the next look is a while later
    const auto items = executor_->holding();
    const auto stuck = [](const reconcile::Executor::Holding& h) {
      return !h.scheduled || h.status.phase == reconcile::ItemPhase::Queued;
    };
    if (std::any_of(items.begin(), items.end(),
                    [](const auto& h) { return h.status.phase == reconcile::ItemPhase::InFlight; }) ||
        std::none_of(items.begin(), items.end(), stuck))
      return;
    stall_warned_ = true;
    std::string named;
    std::size_t shown = 0;
    for (const auto& h : items) {
      if (!stuck(h) || ++shown > 5) continue;
      named += (named.empty() ? "" : "; ") + (h.status.id.empty() ? std::string("(no id)") : h.status.id) + " (" +
               reconcile::to_string(h.status.phase) + ", " +
               (h.scheduled ? "scheduled, not started" : "nothing scheduled to process it") + ")";
    }
    const auto stuck_count = std::count_if(items.begin(), items.end(), stuck);
    spdlog::warn("pass {}: no write began or ended for {} s and no request is out, yet {} item(s) hold the pass: {}{}",
                 report_.number, std::chrono::duration_cast<std::chrono::seconds>(kStallWarning).count(),
                 stuck_count, named, stuck_count > 5 ? "; ..." : "");
  }

  // 6. Every desired resource's status, and the pass's report.
  void record_statuses() {
    stage(PassStage::Recording);
    const auto now = Clock::now();
    auto findings = plan_.findings;
    for (auto& f : executor_->findings()) findings.push_back(std::move(f));
    store_.replace_findings("reconcile", findings);

    std::map<std::string, const reconcile::ObservedResource*> observed;
    for (const auto& o : observed_) observed[reconcile::id_key(o.id)] = &o;
    std::map<std::string, reconcile::ItemStatus> item_of;
    for (const auto& st : executor_->statuses()) item_of[reconcile::id_key(st.id)] = st;
    std::map<std::string, const reconcile::Action*> action_of;
    for (const auto& a : plan_.actions) action_of[reconcile::id_key(a.id)] = &a;

    // What cannot proceed without a human blocks everything that depends on it, transitively
    // (actions are in dependency order, parents first).
    std::map<std::string, std::string> blocked_by;  // key -> the blocked dependency ("" for itself)
    for (const auto& a : plan_.actions) {
      const auto key = reconcile::id_key(a.id);
      const auto item = item_of.find(key);
      if (a.kind == reconcile::ActionKind::Blocked ||
          (item != item_of.end() && item->second.phase == reconcile::ItemPhase::Failed))
        blocked_by[key] = "";
    }
    for (const auto& a : plan_.actions) {
      const auto key = reconcile::id_key(a.id);
      if (blocked_by.count(key)) continue;
      for (const auto& dep : a.depends_on)
        if (blocked_by.count(reconcile::id_key(dep))) {
          blocked_by[key] = dep;
          break;
        }
    }

    std::int64_t remaining = 0, terminal = 0;
    std::optional<std::chrono::milliseconds> wake;
    auto want_wake = [&](std::chrono::milliseconds d) { wake = wake ? std::min(*wake, d) : d; };
    store_.transaction([&] {
      std::vector<state::ResourceStatus> statuses;
      statuses.reserve(translation_.resources.size());
      const bool hashed = spec_hashes_.size() == translation_.resources.size();
      for (std::size_t i = 0; i < translation_.resources.size(); ++i) {
        const auto& d = translation_.resources[i];
        const auto key = reconcile::id_key(d.id);
        state::ResourceStatus st;
        st.id = d.id;
        st.kind = translate::to_string(d.kind);
        st.spec_hash = hashed ? spec_hashes_[i] : state::json_hash(d.body);
        const auto* action = action_of.count(key) ? action_of[key] : nullptr;
        const auto item = item_of.find(key);
        // Queued stands for "no executor item": the checks below only ask about the other phases.
        const auto phase = item == item_of.end() ? reconcile::ItemPhase::Queued : item->second.phase;
        if (phase == reconcile::ItemPhase::Failed) {
          st.state = "failed";
          st.reason = "TerminalError";
          st.message = item->second.last_error;
          st.failures = item->second.failures;
          ++terminal;
        } else if (phase == reconcile::ItemPhase::BackingOff) {
          st.state = "failed";
          st.reason = "RetryingAfterError";
          st.message = item->second.last_error;
          st.failures = item->second.failures;
          ++remaining;
          want_wake(1s);
        } else if (action && action->failed) {
          // Still Failed after every recovery: failed for good until its spec changes.
          st.state = "failed";
          st.reason = "ProvisioningFailed";
          st.message = action->reason;
          ++terminal;
        } else if (action && action->kind == reconcile::ActionKind::Blocked) {
          st.state = "blocked";
          st.reason = "Blocked";
          st.message = action->reason;
        } else if (blocked_by.count(key)) {
          st.state = "blocked";
          st.reason = "DependencyBlocked";
          st.message = "waits for " + blocked_by[key] + ", which is blocked";
        } else if (phase == reconcile::ItemPhase::Succeeded) {
          st.state = "in_sync";
          st.reason = "Succeeded";
        } else if (action && action->writes()) {
          st.state = "pending";  // waiting for a dependency, or the pass was stopped
          st.reason = "Waiting";
          st.message = action->reason;
          ++remaining;
          want_wake(1s);
        } else if (observed.count(key) && reconcile::is_ready(*observed[key])) {
          st.state = "in_sync";
          st.reason = "Succeeded";
        } else {
          st.state = "pending";
          st.reason = !observed.count(key)                                     ? "Waiting"
                      : reconcile::provisioning_failed(observed[key]->body) ? "ProvisioningFailed"
                                                                            : "Provisioning";
          if (action) st.message = action->reason;
          ++remaining;
          want_wake(2s);
        }
        st.last_transition_at = format_rfc3339(now);
        statuses.push_back(std::move(st));
      }
      store_.put_statuses(statuses);
      for (const auto& a : plan_.actions) {
        if (a.kind != reconcile::ActionKind::Retire) continue;
        auto item = item_of.find(reconcile::id_key(a.id));
        if (item == item_of.end() || item->second.phase != reconcile::ItemPhase::Succeeded) continue;
        store_.put_status({a.id, translate::to_string(a.resource_kind), "retired", "Pruned", a.reason, "", 0, std::nullopt,
                           format_rfc3339(now)});
      }
    });
    // A Batch AI write changes what the next read shows (a terminated job frees its cluster, a
    // deleted cluster its workspace): the pass is not converged until one finds nothing left to do.
    // The source plan was decided on the observation from before this pass's AML writes; what
    // they created (an AML job, a Succeeded compute) may unlock a retirement the next pass sees.
    if (retirement_acting_ && std::any_of(plan_.actions.begin(), plan_.actions.end(), [&](const reconcile::Action& a) {
          return a.writes() && !source_actions_.count(reconcile::id_key(a.id));
        })) {
      ++remaining;
      want_wake(1s);
    }
    for (const auto& key : source_actions_) {
      const auto item = item_of.find(key);
      if (item != item_of.end() && item->second.phase == reconcile::ItemPhase::Failed) {
        ++terminal;
      } else {
        ++remaining;
        want_wake(1s);
      }
    }
    // Resources that vanished from this read for the first time: the next read decides.
    if (guard_awaiting_ > 0) {
      remaining += static_cast<std::int64_t>(guard_awaiting_);
      want_wake(1s);
    }
    // The journal, compacted at most once an hour (daemon/journal_compaction.hpp).
    try {
      if (const auto deleted = compact_journal_if_due(store_, Clock::now()); deleted && *deleted > 0)
        spdlog::info("journal compacted: {} superseded row(s) deleted", *deleted);
    } catch (const std::exception& e) {
      spdlog::warn("journal compaction failed: {}", e.what());
    }
    report_.remaining = remaining;
    report_.terminal_failures = terminal;
    report_.wake_after = wake;
    finish(remaining == 0 && terminal == 0 ? Phase::Converged : Phase::Converging, std::nullopt);
  }

  void finish(Phase phase, std::optional<std::string> error) {
    report_.phase = phase;
    report_.error = error ? error : source_error_;
    report_.writes = count_writes() - writes_before_;
    const auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0_).count();
    try {
      store_.record_cycle({report_.number, format_rfc3339(started_at_), duration, to_string(phase),
                           report_.remaining, report_.writes, report_.error});
    } catch (const std::exception& e) {
      spdlog::error("cannot record cycle {}: {}", report_.number, e.what());
    }
    if (phase == Phase::Degraded && !report_.wake_after) report_.wake_after = 30s;
    translation_ = {};
    spec_hashes_.clear();
    inventory_.clear();
    unlisted_containers_.clear();
    guard_findings_.clear();
    guard_awaiting_ = 0;
    observed_.clear();
    unobserved_scopes_.clear();
    scope_findings_.clear();
    live_read_.reset();
    source_actions_.clear();
    write_keys_.clear();
    progress_.stage = PassStage::Idle;
    retirement_acting_ = false;
    plan_ = {};
    reader_.reset();
    observer_.reset();
    running_ = false;
    stopping_ = false;
    auto done = std::move(done_);
    // Deliver outside any callback chain of this pass.
    boost::asio::post(io_, [done, report = report_] { done(report); });
  }

  boost::asio::io_context& io_;
  state::Store& store_;
  std::shared_ptr<azure::RequestCounters> counters_;
  std::optional<config::Config> cfg_, next_cfg_;
  std::unique_ptr<azure::ArmClient> client_;
  std::unique_ptr<reconcile::Executor> executor_;
  std::unique_ptr<azure::BatchAiReader> reader_;
  std::unique_ptr<reconcile::Observer> observer_;
  std::function<void(CycleReport)> done_;
  CycleReport report_;
  TimePoint started_at_{};
  Steady::time_point t0_{};
  std::int64_t writes_before_ = 0;
  std::optional<std::string> source_error_;
  translate::Translation translation_;
  std::vector<std::string> spec_hashes_;  // of translation_.resources, in order, as replace_desired stored them
  // This pass's read in stored form until translated (empty when unreadable); released once translated.
  std::vector<nlohmann::json> inventory_;
  translate::NameHints hints_;                 // the names AML holds, as this pass's translation used them
  std::set<std::string> unlisted_containers_;  // environments whose versions this pass did not list
  std::vector<translate::Finding> guard_findings_;  // the prune guard's, from this pass's read
  std::size_t guard_awaiting_ = 0;                  // vanished once: a second read is due
  std::vector<reconcile::ObservedResource> observed_;
  std::optional<reconcile::QuotaInputs> last_quota_;   // the location's vmSizes and usages, as last fetched
  std::set<std::string> unobserved_scopes_;             // workspaces whose LISTs failed this pass
  std::vector<translate::Finding> scope_findings_;      // one scope-unobserved finding each
  std::optional<std::vector<nlohmann::json>> live_read_;  // this pass's read of the live Batch AI API
  std::set<std::string> source_actions_;                  // id keys of this pass's Batch AI writes
  bool retirement_acting_ = false;                        // policy.retire_source applies this pass
  std::set<std::string> write_keys_;                      // id keys of this pass's write actions
  PassProgress progress_;
  reconcile::Plan plan_;
  boost::asio::steady_timer quiet_timer_{io_};
  std::uint64_t stall_mark_ = 0;  // the executor's activity when it last changed (warn_if_stalled)
  Steady::time_point stall_since_{};
  bool stall_warned_ = false;
  bool resume_pending_ = false;
  bool running_ = false;
  bool stopping_ = false;
};

MigrationCycle::MigrationCycle(boost::asio::io_context& io, state::Store& store,
                               std::shared_ptr<azure::RequestCounters> counters)
    : impl_(std::make_shared<Impl>(io, store, std::move(counters))) {}
MigrationCycle::~MigrationCycle() = default;
void MigrationCycle::set_config(const config::Config& cfg) { impl_->set_config(cfg); }
void MigrationCycle::run(std::function<void(CycleReport)> done) { impl_->run(std::move(done)); }
void MigrationCycle::stop() { impl_->stop(); }
void MigrationCycle::close() { impl_->close(); }
bool MigrationCycle::running() const { return impl_->running(); }
PassProgress MigrationCycle::progress() const { return impl_->progress(); }

}  // namespace bai2aml::daemon
