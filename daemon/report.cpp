#include "daemon/report.hpp"

#include "config/redaction.hpp"
#include "config/utf8.hpp"
#include "daemon/store_status.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/source_retirement.hpp"
#include "translate/batchai_id.hpp"

#include <algorithm>
#include <map>
#include <sstream>

namespace bai2aml::daemon {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The stored inventory is what the source said: any field may have any type (or be missing).
std::string job_state(const nlohmann::json& body) {
  if (!body.is_object()) return "";
  const auto p = body.find("properties");
  if (p == body.end() || !p->is_object()) return "";
  const auto s = p->find("executionState");
  return s != p->end() && s->is_string() ? s->get<std::string>() : "";
}

constexpr const char* kGoneDetail = "no longer in the Batch AI source";
// A finding about an AML scope (scope-unobserved: a target workspace bai2aml could not list) is not
// about a Batch AI resource, and nothing left the source.
constexpr const char* kAmlScopeDetail = "an AML scope, not a Batch AI resource";
constexpr const char* kUnobservedDetail = "an AML workspace bai2aml could not observe: nothing in it is changed until it can be";

bool is_final_job_state(const std::string& s) {
  const auto l = lower(s);
  return l == "succeeded" || l == "failed";
}

// Outcome per DESIGN.md §3: migrated, migrated with findings, or not migratable (an error finding).
std::string outcome_of(const ReportEntry& e) {
  if (e.kind == "job" && is_final_job_state(e.detail)) return "history";
  if (e.detail == kGoneDetail) return "gone-from-source";
  if (e.detail == kAmlScopeDetail || e.detail == kUnobservedDetail) return "aml-scope";
  const bool has_error = std::any_of(e.findings.begin(), e.findings.end(),
                                     [](const translate::Finding& f) { return f.severity == translate::Severity::Error; });
  if (e.counterparts.empty()) {
    if (has_error) return "not-migratable";
    if (e.kind == "experiment") return "recorded";
    return e.findings.empty() ? "not-migrated" : "not-migrated-with-findings";
  }
  const bool all_in_sync = std::all_of(e.counterparts.begin(), e.counterparts.end(),
                                       [](const ReportCounterpart& c) { return c.state == "in_sync"; });
  if (!all_in_sync) return "pending";
  return e.findings.empty() ? "migrated" : "migrated-with-findings";
}

std::string job_command(const nlohmann::json& body) {
  const auto p = body.find("properties");
  if (p == body.end() || !p->is_object()) return "";
  const auto c = p->find("command");
  return c != p->end() && c->is_string() ? c->get<std::string>() : "";
}

// Passes kept for the chart: enough to draw its shape, few enough to keep the report small.
constexpr std::size_t kMaxProgressPoints = 400;

std::vector<ReportProgressPoint> progress_of(const std::vector<state::CycleRecord>& cycles) {
  std::vector<ReportProgressPoint> all;
  for (const auto& c : cycles) {
    if (!c.states) continue;
    std::string at = c.started_at;
    if (auto t = parse_rfc3339(c.started_at)) at = format_rfc3339(*t + std::chrono::milliseconds(c.duration_ms));
    all.push_back({at, c.states->in_sync, c.states->pending, c.states->blocked, c.states->failed, c.states->retired});
  }
  if (all.size() <= kMaxProgressPoints) return all;
  std::vector<ReportProgressPoint> kept;  // evenly spaced, always with the first and the last
  for (std::size_t i = 0; i < kMaxProgressPoints; ++i)
    kept.push_back(all[i * (all.size() - 1) / (kMaxProgressPoints - 1)]);
  return kept;
}

// Every text a report shows that did not come from bai2aml itself (inventory values, ARM's error
// texts quoted in findings and reasons) is redacted here once, for every format.
void redact_free_text(ReportEntry& e) {
  e.detail = config::redact_secrets(e.detail);
  for (auto& c : e.counterparts) {
    c.reason = config::redact_secrets(c.reason);
    c.command = config::redact_secrets(c.command);  // sent to AML verbatim, shown redacted
  }
  for (auto& f : e.findings) {
    f.message = config::redact_secrets(f.message);
    f.remedy = config::redact_secrets(f.remedy);
  }
}

}  // namespace

std::string report_workspace_of(const ReportEntry& e) {
  return translate::workspace_id_of(translate::parse_batchai_id(e.source_id));
}

ReportData gather_report(state::Store& store, const config::Config& cfg, TimePoint now) {
  ReportData d;
  d.generated_at = format_rfc3339(now);
  d.cutoff = format_rfc3339(cfg.cutoff);
  d.seconds_to_cutoff = seconds_to_cutoff(cfg.cutoff, now);
  d.countdown = cutoff_countdown(cfg.cutoff, now);
  const auto src = store.source_status();
  d.source_mode = src.mode;
  d.source_fetched_at = src.fetched_at.value_or("");
  if (auto p = snapshot_from_store(store, cfg, now).projected_completion) d.projected_completion = format_rfc3339(*p);
  d.progress = progress_of(store.cycles());

  std::map<std::string, ReportEntry> entries;  // lower source id -> entry
  std::map<std::string, int> jobs_per_experiment;
  for (const auto& item : store.inventory()) {
    ReportEntry e;
    e.source_id = item.id;
    e.kind = item.kind;
    if (item.kind == "job") {
      e.detail = job_state(item.body);
      const auto exp = lower(item.id.substr(0, item.id.rfind("/jobs/")));
      ++jobs_per_experiment[exp];
    }
    entries[lower(item.id)] = std::move(e);
  }
  for (auto& [key, e] : entries)
    if (e.kind == "experiment") e.detail = std::to_string(jobs_per_experiment[key]) + " job(s); AML experimentName of its migrated jobs";

  std::map<std::string, state::ResourceStatus> status_of;
  for (const auto& s : store.statuses()) status_of[lower(s.id)] = s;
  std::map<std::string, state::LastWrite> last_write;
  for (auto& w : store.last_writes()) last_write[lower(w.resource_id)] = std::move(w);
  for (const auto& rec : store.desired()) {
    auto it = entries.find(lower(rec.resource.source_id));
    if (it == entries.end()) continue;
    ReportCounterpart c;
    c.id = rec.resource.id;
    c.kind = translate::to_string(rec.resource.kind);
    c.state = "pending";
    if (auto s = status_of.find(lower(rec.resource.id)); s != status_of.end()) {
      c.state = s->second.state;
      c.reason = s->second.reason;
    }
    if (auto w = last_write.find(lower(rec.resource.id)); w != last_write.end()) {
      c.write_action = w->second.action;
      c.write_state = w->second.state;
      c.write_at = w->second.at;
      c.write_request_id = w->second.request_id;
    }
    if (rec.resource.kind == translate::Kind::Job) c.command = job_command(rec.resource.body);
    it->second.counterparts.push_back(std::move(c));
  }
  // What bai2aml retired from Batch AI itself; a deleted workspace took everything under it along.
  for (const auto& [phase, verb] : {std::pair{reconcile::kRetireSourcePhase, "deleted"},
                                    std::pair{reconcile::kTerminateSourcePhase, "terminated"}})
    for (const auto& op : store.operations_with_action(phase)) {
      const auto root = lower(op.resource_id);
      for (auto it = entries.lower_bound(root); it != entries.end() && it->first.compare(0, root.size(), root) == 0; ++it) {
        if (it->first.size() > root.size() && it->first[root.size()] != '/') continue;
        if (it->first != root && !it->second.retired_action.empty()) continue;  // its own write says more
        it->second.retired_action = it->first == root ? verb : std::string(verb) + " with " + op.resource_id;
        it->second.retired_state = op.state;
        it->second.retired_at = op.updated_at;
      }
    }
  for (const auto& f : store.findings()) {
    auto it = entries.find(lower(f.finding.source_id));
    if (it == entries.end()) {
      // A finding about a resource that left the source (deleted by hand: its AML counterpart is
      // pruned, or says why not) still belongs in the report.
      ReportEntry gone;
      gone.source_id = f.finding.source_id;
      const auto kind = translate::parse_batchai_id(f.finding.source_id).kind;
      gone.kind = translate::to_string(kind);
      gone.detail = kGoneDetail;
      if (kind == translate::SourceKind::Unknown && reconcile::kind_from_id(f.finding.source_id)) {
        gone.kind = "AML scope";
        gone.detail = f.finding.code == "scope-unobserved" ? kUnobservedDetail : kAmlScopeDetail;
      }
      it = entries.emplace(lower(f.finding.source_id), std::move(gone)).first;
    }
    it->second.findings.push_back(f.finding);
  }
  for (auto& [key, e] : entries) {
    e.outcome = outcome_of(e);
    redact_free_text(e);
    d.entries.push_back(std::move(e));
  }
  return d;
}

nlohmann::json report_to_json(const ReportData& d) {
  nlohmann::json out = {{"version", 1},
                        {"generated_at", d.generated_at},
                        {"cutoff", d.cutoff},
                        {"seconds_to_cutoff", d.seconds_to_cutoff},
                        {"source", {{"mode", d.source_mode}, {"fetched_at", d.source_fetched_at}}},
                        {"projected_completion", d.projected_completion.empty() ? nlohmann::json(nullptr)
                                                                                : nlohmann::json(d.projected_completion)},
                        {"progress", nlohmann::json::array()},
                        {"resources", nlohmann::json::array()}};
  for (const auto& p : d.progress)
    out["progress"].push_back({{"at", p.at}, {"in_sync", p.in_sync}, {"pending", p.pending}, {"blocked", p.blocked},
                               {"failed", p.failed}, {"retired", p.retired}});
  std::map<std::string, int> outcomes;
  for (const auto& e : d.entries) {
    ++outcomes[e.outcome];
    nlohmann::json j = {{"source_id", e.source_id}, {"kind", e.kind}, {"outcome", e.outcome}, {"detail", e.detail},
                        {"aml", nlohmann::json::array()}, {"findings", nlohmann::json::array()}};
    if (!e.retired_action.empty())
      j["batch_ai"] = {{"retired", e.retired_action}, {"state", e.retired_state}, {"at", e.retired_at}};
    for (const auto& c : e.counterparts) {
      nlohmann::json a = {{"id", c.id}, {"kind", c.kind}, {"state", c.state}, {"reason", c.reason}};
      if (!c.write_action.empty())
        a["last_write"] = {{"action", c.write_action}, {"state", c.write_state}, {"at", c.write_at},
                           {"request_id", c.write_request_id}};
      if (c.kind == "job") a["command"] = c.command;
      j["aml"].push_back(std::move(a));
    }
    for (const auto& f : e.findings)
      j["findings"].push_back({{"code", f.code}, {"severity", translate::to_string(f.severity)}, {"message", f.message},
                               {"remedy", f.remedy}});
    out["resources"].push_back(std::move(j));
  }
  out["outcomes"] = outcomes;
  return out;
}

std::string report_to_markdown(const ReportData& d) {
  std::ostringstream md;
  md << "# Batch AI to Azure Machine Learning migration report\n\n";
  md << "- Generated: " << d.generated_at << "\n";
  md << "- Cutoff: " << d.cutoff << " (" << d.countdown << ")\n";
  md << "- Source: " << d.source_mode << (d.source_fetched_at.empty() ? "" : ", inventory read " + d.source_fetched_at) << "\n\n";

  std::map<std::string, int> outcomes;
  for (const auto& e : d.entries) ++outcomes[e.outcome];
  md << "## Summary\n\n| outcome | resources |\n|---|---|\n";
  for (const auto& [o, n] : outcomes) md << "| " << o << " | " << n << " |\n";

  md << "\n## Resources\n\n| Batch AI resource | kind | outcome | AML counterparts |\n|---|---|---|---|\n";
  for (const auto& e : d.entries) {
    if (e.outcome == "history") continue;
    std::string aml;
    for (const auto& c : e.counterparts)
      aml += (aml.empty() ? "" : "<br>") + c.kind + " `" + c.id.substr(c.id.rfind('/') + 1) + "` (" + c.state + ")";
    md << "| `" << e.source_id << "` | " << e.kind << " | " << e.outcome << " | " << (aml.empty() ? e.detail : aml) << " |\n";
  }

  md << "\n## Findings\n";
  bool any = false;
  for (auto sev : {translate::Severity::Error, translate::Severity::Warning, translate::Severity::Info}) {
    for (const auto& e : d.entries)
      for (const auto& f : e.findings) {
        if (f.severity != sev) continue;
        any = true;
        md << "\n- **" << translate::to_string(sev) << "** `" << f.code << "` on `" << e.source_id << "`  \n  "
           << f.message << "  \n  Remedy: " << f.remedy << "\n";
      }
  }
  if (!any) md << "\nNone.\n";

  md << "\n## Retired from Batch AI (policy.retire_source)\n\n";
  bool retired = false;
  for (const auto& e : d.entries)
    if (!e.retired_action.empty()) {
      retired = true;
      md << "- `" << e.source_id << "`: " << e.retired_action << " (" << e.retired_state << ", " << e.retired_at << ")\n";
    }
  if (!retired) md << "None.\n";

  md << "\n## Finished jobs (history, not re-run)\n\n";
  bool history = false;
  for (const auto& e : d.entries)
    if (e.outcome == "history") {
      history = true;
      md << "- `" << e.source_id << "`: " << e.detail << "\n";
    }
  if (!history) md << "None.\n";
  // Names and messages are free text from the database and the document is read on a terminal
  // too: nothing in it that a terminal would obey (an escape sequence, a carriage return).
  return config::terminal_text(md.str(), true);
}

}  // namespace bai2aml::daemon
