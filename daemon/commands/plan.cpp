// bai2aml plan: reads the source and the live AML state, prints the actions and findings; changes
// nothing (no write reaches Azure, nothing is written to the database). With source.inventory_file
// and no reachable target it still works offline: every resource is then shown as to be created.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <map>

#include "azure/sync_arm_client.hpp"
#include "config/redaction.hpp"
#include "config/utf8.hpp"
#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/commands/source_inventory.hpp"
#include "daemon/journal_inputs.hpp"
#include "daemon/retained_inventory.hpp"
#include "reconcile/arm_id.hpp"
#include "reconcile/diff.hpp"
#include "reconcile/identity.hpp"
#include "reconcile/observer.hpp"
#include "reconcile/source_retirement.hpp"
#include "state/store.hpp"
#include "translate/render.hpp"
#include "translate/translate.hpp"

namespace bai2aml::daemon::commands {
namespace {

// The live AML state, or the reason it could not be observed.
azure::Result<reconcile::Observation> observe(azure::SyncArmClient& client, const config::Config& cfg,
                                              const translate::Translation& t) {
  std::set<std::string> version_containers;
  for (const auto& d : t.resources)
    if (d.kind == translate::Kind::EnvironmentVersion) version_containers.insert(reconcile::parent_of(d.id));
  reconcile::Observer observer(client.async());
  const std::string rg = "/subscriptions/" + cfg.target.subscription_id + "/resourceGroups/" + cfg.target.resource_group;
  auto r = client.run<reconcile::Observation>([&](std::function<void(azure::Result<reconcile::Observation>)> cb) {
    observer.observe(rg, version_containers, [cb](reconcile::Observation o) { cb(std::move(o)); });
  });
  if (r.ok() && !r.value().usable()) {
    azure::ArmError e;
    e.code = "ObservationIncomplete";
    e.message = r.value().errors.empty() ? "the workspaces could not be listed" : r.value().errors.front();
    return e;
  }
  return r;
}

// Writes one JSON object member by member, exactly as nlohmann::json::dump(2) would print it whole
// (members must come in key order, as dump prints them).
class JsonStream {
 public:
  explicit JsonStream(std::FILE* f) : f_(f) { std::fputs("{", f_); }
  void member(const std::string& key, const nlohmann::json& value) {
    next_member(key);
    std::fputs(indented(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace), 2).c_str(), f_);
  }
  void begin_array(const std::string& key) {
    next_member(key);
    std::fputs("[", f_);
    elements_ = 0;
  }
  void element(const nlohmann::json& value) {
    std::fputs(elements_++ ? ",\n    " : "\n    ", f_);
    std::fputs(indented(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace), 4).c_str(), f_);
  }
  void end_array() { std::fputs(elements_ ? "\n  ]" : "]", f_); }
  void end() { std::fputs(members_ ? "\n}\n" : "}\n", f_); }

 private:
  void next_member(const std::string& key) {
    std::fputs(members_++ ? ",\n  " : "\n  ", f_);
    std::fputs((nlohmann::json(key).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ": ").c_str(), f_);
  }
  static std::string indented(const std::string& text, std::size_t by) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
      out.push_back(c);
      if (c == '\n') out.append(by, ' ');
    }
    return out;
  }
  std::FILE* f_;
  int members_ = 0;
  int elements_ = 0;
};

}  // namespace

int plan(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  azure::SyncArmClient client(cfg->azure);
  auto source = read_source(*cfg, &client);
  if (!source.ok) {
    std::fprintf(stderr, "bai2aml plan: cannot read the Batch AI inventory: %s\n", source.error.c_str());
    return kExitRuntimeFailure;
  }
  // What an earlier apply or run knows: the Batch AI resources it retired itself (still migrated,
  // though gone from the source) and the jobs it submitted. A missing database means none.
  std::unique_ptr<state::Store> store;
  struct stat db_stat{};
  if (::stat(cfg->state.database.c_str(), &db_stat) == 0) {
    try {
      store = state::Store::open(cfg->state.database, {false});
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bai2aml plan: %s\n", e.what());
      return kExitRuntimeFailure;
    }
  }
  // The live read, for source retirement: copied only when retirement can act (100,000 resources otherwise).
  const auto live_read = source.mode == "live" && reconcile::retirement_acts(cfg->policy.retire_source,
                                                                             std::chrono::system_clock::now() >= cfg->cutoff)
                             ? source.inventory.resources
                             : std::vector<nlohmann::json>{};
  std::vector<translate::Finding> guard_findings;
  if (store) {
    // As the next pass would keep it (nothing is stored here).
    auto guarded = guard_read(*store, std::move(source.inventory.resources), std::chrono::system_clock::now() >= cfg->cutoff,
                              cfg->source.subscription_id);
    source.inventory.resources = std::move(guarded.inventory);
    guard_findings = std::move(guarded.findings);
  }
  const auto scope = reconcile::source_scope(cfg->source);
  auto hints = store ? stored_name_hints(*store, scope) : translate::NameHints{};
  std::vector<translate::ConfigProblem> problems;  // validate_mapping()'s, from the same translation
  auto translation = translate::translate(source.inventory.resources, *cfg, hints, problems);
  if (!problems.empty()) {
    for (const auto& p : problems)
      std::fprintf(stderr, "%s: error: %s: %s\n", cl.config_path.c_str(), p.path.c_str(), p.message.c_str());
    return kExitUsage;
  }

  auto observation = observe(client, *cfg, translation);
  std::vector<reconcile::ObservedResource> observed;
  std::string observe_error;
  if (observation.ok()) observed = std::move(observation.value().resources);
  else observe_error = observation.error().to_string();
  // The names AML holds now (as the reconcile pass does after it observes).
  if (observation.ok()) {
    auto fresh = reconcile::name_hints(observed, scope);
    if (fresh != hints) translation = translate::translate(source.inventory.resources, *cfg, fresh);
  }
  source.inventory.resources = {};  // translated: not held while the plan is made and printed
  reconcile::DiffInputs inputs;
  inputs.policy = cfg->policy;
  if (observation.ok()) inputs.unobserved_scopes = observation.value().incomplete;
  inputs.scope = scope;
  for (const auto& id : reconcile::computes_with_active_jobs(observed)) inputs.computes_with_active_jobs.insert(id);
  if (store) add_journal_inputs(*store, translation.resources, inputs);
  auto plan = reconcile::diff(translation.resources, observed, inputs);
  if (observation.ok())
    for (auto& f : reconcile::unobserved_scope_findings(observation.value())) plan.findings.push_back(std::move(f));
  for (auto& f : guard_findings) plan.findings.push_back(std::move(f));
  if (observe_error.empty()) {
    reconcile::SourceRetirementInputs retire;
    retire.mode = cfg->policy.retire_source;
    retire.cutoff_passed = std::chrono::system_clock::now() >= cfg->cutoff;
    retire.source_live = source.mode == "live";
    retire.live = live_read;
    retire.desired = &translation.resources;
    retire.observed = &observed;
    if (store) retire.terminated = jobs_terminated_by_bai2aml(*store);
    retire.scope = scope;
    retire.submitted_jobs = inputs.submitted_jobs;
    retire.submitted_sources = inputs.submitted_sources;
    auto retirement = reconcile::plan_source_retirement(retire);
    for (auto& a : retirement.actions) plan.actions.push_back(std::move(a));
    for (auto& f : retirement.findings) plan.findings.push_back(std::move(f));
  }

  std::map<std::string, int> counts;
  for (const auto& a : plan.actions) ++counts[reconcile::to_string(a.kind)];
  if (cl.json) {
    observed = {};  // the plan and the retirement are made: what is printed is the document
    auto doc = translate::translation_to_json(std::move(translation));  // its bodies move into the document
    doc["target_observed"] = observe_error.empty();
    if (!observe_error.empty()) doc["target_error"] = observe_error;
    doc["action_counts"] = counts;
    doc["actions"] = nlohmann::json::array();
    doc["diff_findings"] = nlohmann::json::array();
    for (const auto& f : plan.findings)
      doc["diff_findings"].push_back({{"code", f.code}, {"severity", translate::to_string(f.severity)},
                                      {"source_id", f.source_id}, {"message", f.message}, {"remedy", f.remedy}});
    // Streamed, one element of the long arrays at a time: the document of 100,000 resources is
    // never held as one string (nor the actions as one JSON array).
    // Error texts and reasons quote what ARM answered: redacted like everything printed.
    doc = config::redact_secrets_in(std::move(doc));
    JsonStream out(stdout);
    for (auto& [key, value] : doc.items()) {
      if (key == "actions") {
        out.begin_array(key);
        for (const auto& a : plan.actions)
          out.element(config::redact_secrets_in(nlohmann::json{{"action", reconcile::to_string(a.kind)},
                                                               {"kind", translate::to_string(a.resource_kind)},
                                                               {"id", a.id},
                                                               {"method", a.method},
                                                               {"reason", a.reason}}));
        out.end_array();
      } else if (key == "workspaces" && value.is_array()) {
        out.begin_array(key);
        for (auto& w : value) {
          out.element(w);
          w = nullptr;  // printed: freed
        }
        out.end_array();
      } else {
        out.member(key, value);
      }
    }
    out.end();
    return kExitOk;
  }
  // Names, commands and messages come from Batch AI and Azure: nothing in them a terminal would obey.
  std::fputs(config::terminal_text(translate::render_translation_text(translation), true).c_str(), stdout);
  std::string text = "\nActions against the live AML state";
  if (!observe_error.empty()) text += " (target not observed: " + observe_error + "; every resource shown as to create)";
  text += ":\n";
  char line[64];
  for (const auto& [k, n] : counts) {
    std::snprintf(line, sizeof line, "  %-8s %d\n", k.c_str(), n);
    text += line;
  }
  for (const auto& a : plan.actions)
    if (a.kind != reconcile::ActionKind::Noop) {
      std::snprintf(line, sizeof line, "  %-8s %-11s ", reconcile::to_string(a.kind), translate::to_string(a.resource_kind));
      text += line + a.id + (a.reason.empty() ? "" : "  # ") + a.reason + "\n";
    }
  for (const auto& f : plan.findings)
    text += std::string("  [") + translate::to_string(f.severity) + "] " + f.code + " " + f.source_id + ": " + f.message + "\n";
  std::fputs(config::terminal_text(config::redact_secrets(text), true).c_str(), stdout);
  return kExitOk;
}

}  // namespace bai2aml::daemon::commands
