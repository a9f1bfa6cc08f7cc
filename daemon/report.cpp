#include "daemon/report.hpp"

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

std::string job_state(const nlohmann::json& body) {
  const auto& p = body.value("properties", nlohmann::json::object());
  return p.is_object() ? p.value("executionState", "") : "";
}

constexpr const char* kGoneDetail = "no longer in the Batch AI source";

bool is_final_job_state(const std::string& s) {
  const auto l = lower(s);
  return l == "succeeded" || l == "failed";
}

// Outcome per DESIGN.md §3: migrated, migrated with findings, or not migratable (an error finding).
std::string outcome_of(const ReportEntry& e) {
  if (e.kind == "job" && is_final_job_state(e.detail)) return "history";
  if (e.detail == kGoneDetail) return "gone-from-source";
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

}  // namespace

ReportData gather_report(state::Store& store, const config::Config& cfg, TimePoint now) {
  ReportData d;
  d.generated_at = format_rfc3339(now);
  d.cutoff = format_rfc3339(cfg.cutoff);
  d.seconds_to_cutoff = seconds_to_cutoff(cfg.cutoff, now);
  d.countdown = cutoff_countdown(cfg.cutoff, now);
  const auto src = store.source_status();
  d.source_mode = src.mode;
  d.source_fetched_at = src.fetched_at.value_or("");

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
  for (const auto& rec : store.desired()) {
    auto it = entries.find(lower(rec.resource.source_id));
    if (it == entries.end()) continue;
    ReportCounterpart c{rec.resource.id, translate::to_string(rec.resource.kind), "pending", ""};
    if (auto s = status_of.find(lower(rec.resource.id)); s != status_of.end()) {
      c.state = s->second.state;
      c.reason = s->second.reason;
    }
    it->second.counterparts.push_back(c);
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
      gone.kind = translate::to_string(translate::parse_batchai_id(f.finding.source_id).kind);
      gone.detail = kGoneDetail;
      it = entries.emplace(lower(f.finding.source_id), std::move(gone)).first;
    }
    it->second.findings.push_back(f.finding);
  }
  for (auto& [key, e] : entries) {
    e.outcome = outcome_of(e);
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
                        {"resources", nlohmann::json::array()}};
  std::map<std::string, int> outcomes;
  for (const auto& e : d.entries) {
    ++outcomes[e.outcome];
    nlohmann::json j = {{"source_id", e.source_id}, {"kind", e.kind}, {"outcome", e.outcome}, {"detail", e.detail},
                        {"aml", nlohmann::json::array()}, {"findings", nlohmann::json::array()}};
    if (!e.retired_action.empty())
      j["batch_ai"] = {{"retired", e.retired_action}, {"state", e.retired_state}, {"at", e.retired_at}};
    for (const auto& c : e.counterparts)
      j["aml"].push_back({{"id", c.id}, {"kind", c.kind}, {"state", c.state}, {"reason", c.reason}});
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
  return md.str();
}

}  // namespace bai2aml::daemon
