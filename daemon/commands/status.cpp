// bai2aml status: the state of the migration, read from the database (the daemon need not run).
#include <cstdio>
#include <map>

#include "config/utf8.hpp"
#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/cutoff.hpp"
#include "daemon/status_json.hpp"
#include "daemon/status_summary.hpp"
#include "daemon/store_status.hpp"
#include "reconcile/source_retirement.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon::commands {
namespace {

// Names, ARM error messages and finding messages are free text from the database: no escape
// sequence or carriage return in them reaches the operator's terminal.
std::string tty(const std::string& text) { return config::terminal_text(text); }

}  // namespace

int status(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  auto store = state::Store::open(cfg->state.database, {false});
  const auto now = Clock::now();
  const auto snap = snapshot_from_store(*store, *cfg, now);
  if (cl.json) {
    std::printf("%s\n", status_json_text(snap).c_str());
    return kExitOk;
  }
  std::printf("%s\n\n", tty(status_summary_line(snap)).c_str());
  std::printf("cutoff        %s (%s)\n", format_rfc3339(cfg->cutoff).c_str(), cutoff_countdown(cfg->cutoff, now).c_str());
  std::printf("source        %s%s\n", to_string(snap.source_mode),
              snap.source_fetched_at ? (", inventory read " + format_rfc3339(*snap.source_fetched_at)).c_str() : "");
  if (snap.cycle_number > 0)
    std::printf("last cycle    #%lld at %s, %lld ms, %s\n", static_cast<long long>(snap.cycle_number),
                format_rfc3339(snap.cycle_started_at).c_str(), static_cast<long long>(snap.cycle_duration_ms),
                to_string(snap.phase));
  else
    std::printf("last cycle    none yet (run `bai2aml apply` or start the service)\n");
  const auto& r = snap.resources;
  std::printf("resources     %lld total: %lld in sync, %lld pending, %lld failed, %lld blocked, %lld retired\n",
              static_cast<long long>(r.total), static_cast<long long>(r.in_sync), static_cast<long long>(r.pending),
              static_cast<long long>(r.failed), static_cast<long long>(r.blocked), static_cast<long long>(r.retired));
  if (snap.projected_completion)
    std::printf("projected     %s\n", format_rfc3339(*snap.projected_completion).c_str());
  if (snap.last_error) std::printf("last error    %s\n", tty(*snap.last_error).c_str());
  if (cfg->policy.retire_source != config::RetireSource::Never) {
    // What policy.retire_source did to the Batch AI side, from the journal.
    std::map<std::string, int> done;
    for (const char* phase : {reconcile::kTerminateSourcePhase, reconcile::kRetireSourcePhase})
      for (const auto& op : store->operations_with_action(phase)) ++done[std::string(phase) + " " + op.state];
    const std::string terminate = reconcile::kTerminateSourcePhase, retire = reconcile::kRetireSourcePhase;
    std::printf("batch ai      retire_source %s: %d job(s) terminated, %d cluster(s) or workspace(s) deleted, %d failed\n",
                config::to_string(cfg->policy.retire_source), done[terminate + " succeeded"], done[retire + " succeeded"],
                done[terminate + " failed"] + done[retire + " failed"]);
  }

  const auto findings = store->findings();
  std::printf("findings      %lld error, %lld warning, %lld info\n", static_cast<long long>(snap.findings.error),
              static_cast<long long>(snap.findings.warning), static_cast<long long>(snap.findings.info));
  for (auto sev : {translate::Severity::Error, translate::Severity::Warning, translate::Severity::Info}) {
    for (const auto& f : findings) {
      if (f.finding.severity != sev) continue;
      std::printf("  [%s] %s  %s\n      %s\n      remedy: %s\n", translate::to_string(sev), tty(f.finding.code).c_str(),
                  tty(f.finding.source_id).c_str(), tty(f.finding.message).c_str(), tty(f.finding.remedy).c_str());
    }
  }
  // Resources that need attention, by name.
  for (const auto& st : store->statuses())
    if (st.state == "failed" || st.state == "blocked")
      std::printf("  %-7s %s: %s %s\n", tty(st.state).c_str(), tty(st.id).c_str(), tty(st.reason).c_str(),
                  tty(st.message).c_str());
  return kExitOk;
}

}  // namespace bai2aml::daemon::commands
