#include "daemon/service.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdlib>
#include <tuple>
#include <unistd.h>

#include "azure/request_counters.hpp"
#include "daemon/cli.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/cutoff.hpp"
#include "daemon/logging.hpp"
#include "daemon/migration_cycle.hpp"
#include "daemon/notify.hpp"
#include "daemon/progress_line.hpp"
#include "daemon/status_publisher.hpp"
#include "daemon/store_status.hpp"
#include "daemon/terminal_status_line.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

constexpr auto kProgressTick = 500ms;  // the terminal line's refresh

class Service {
 public:
  Service(const config::Config& cfg, const ServiceOptions& options)
      : cfg_(cfg),
        options_(options),
        store_(state::Store::open(cfg.state.database, {true})),
        counters_(std::make_shared<azure::RequestCounters>()),
        cycle_(io_, *store_, counters_),
        signals_(io_, SIGTERM, SIGINT, SIGHUP),
        next_cycle_(io_),
        watchdog_(io_),
        deadline_(io_),
        drain_(io_),
        progress_timer_(io_),
        publisher_(cfg_.status, notifier_) {
    cycle_.set_config(cfg_);
    if (options_.progress_display == ProgressDisplay::Terminal) terminal_ = std::make_unique<TerminalStatusLine>(STDOUT_FILENO);
  }

  int run() {
    spdlog::info("bai2aml {} starting: database {}, {} ({})", BAI2AML_VERSION, cfg_.state.database,
                 format_rfc3339(cfg_.cutoff), cutoff_countdown(cfg_.cutoff, Clock::now()));
    publish(std::nullopt);  // the state loaded: status reflects the database before the first pass
    notifier_.ready();
    arm_signals();
    arm_watchdog();
    if (options_.timeout_seconds) {
      deadline_.expires_after(std::chrono::seconds(*options_.timeout_seconds));
      deadline_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        spdlog::error("apply: not converged after {} s; giving up (the next run resumes where this one stopped)",
                      *options_.timeout_seconds);
        begin_shutdown(kExitTimeout);
      });
    }
    start_cycle();
    arm_progress();
    run_loop();
    // A drain cut short leaves requests in flight: their completions must be done with io_ before it
    // is destroyed (with the handlers they posted, which never run).
    cycle_.close();
    terminal_.reset();  // erase the status line before the last log lines
    notifier_.stopping();
    spdlog::info("bai2aml stopped (exit {})", exit_code_);
    return exit_code_;
  }

 private:
  // The last resort behind the pass's and the executor's own guards: what still escapes a handler
  // is logged and the loop goes on (an io_context runs again after a handler threw). A pass it
  // leaves hanging makes no progress, so the watchdog is withheld and systemd restarts the daemon;
  // `apply --timeout` ends the same way. Ending here instead would crash-loop on the same data.
  void run_loop() {
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        spdlog::critical("internal error escaped the event loop: {}; the daemon goes on", e.what());
      }
    }
  }

  void start_cycle() {
    if (stopping_) return;
    cycle_.run([this](CycleReport report) { on_cycle_done(report); });
  }

  void on_cycle_done(const CycleReport& report) {
    if (terminal_) terminal_->clear();
    publish(report);
    if (stopping_) {
      finish_shutdown();
      return;
    }
    if (options_.until_converged) {
      if (report.converged()) {
        exit_code_ = kExitOk;
        begin_shutdown(kExitOk);
        return;
      }
      if (report.remaining == 0 && report.terminal_failures > 0 && !report.wake_after) {
        spdlog::error("apply: {} resource(s) failed terminally; fix the cause (see `bai2aml status`) and run again",
                      report.terminal_failures);
        begin_shutdown(kExitRuntimeFailure);
        return;
      }
    }
    // Pending work wakes the loop sooner than the interval; apply does not wait the interval at all.
    auto delay = std::chrono::milliseconds(std::chrono::seconds(cfg_.interval_seconds));
    if (report.wake_after) delay = std::min(delay, *report.wake_after);
    if (options_.until_converged) delay = std::min<std::chrono::milliseconds>(delay, report.wake_after.value_or(200ms));
    next_cycle_.expires_after(delay);
    next_cycle_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) start_cycle();
    });
  }

  // The figures come from the database (what `bai2aml status` shows too) plus this process's ARM
  // request counters, which only live in memory.
  void publish(const std::optional<CycleReport>& report) {
    StatusSnapshot snap;
    try {
      snap = snapshot_from_store(*store_, cfg_, Clock::now());
    } catch (const std::exception& e) {
      spdlog::error("cannot publish status: {}", e.what());
      return;
    }
    for (const auto& [key, n] : counters_->snapshot())
      snap.arm_requests[{key.first, key.second == "error" ? 0 : std::atoi(key.second.c_str())}] = n;
    std::optional<CycleFacts> facts;
    if (report) facts = CycleFacts{report->writes, report->error};
    publisher_.publish(snap, facts);
    last_snapshot_ = std::move(snap);
  }

  // While a pass runs: the terminal's line every tick, and the status files and STATUS= every
  // status_interval with the pass's figures so far (a first pass over 30,000 resources takes
  // minutes; status must not say "discovering, 0 of 0" all along).
  void arm_progress() {
    progress_timer_.expires_after(kProgressTick);
    progress_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      const auto p = cycle_.progress();
      const auto now = std::chrono::steady_clock::now();
      if (p.running()) {
        if (terminal_) terminal_->show(progress_line(p, throttled(), now));
        if (now - last_progress_publish_ >= options_.status_interval) {
          last_progress_publish_ = now;
          publish_progress(p);
        }
      }
      if (!stopping_) arm_progress();
    });
  }

  std::uint64_t throttled() const {
    std::uint64_t n = 0;
    for (const auto& [key, count] : counters_->snapshot())
      if (key.second == "429") n += count;
    return n;
  }

  void publish_progress(const PassProgress& p) {
    StatusSnapshot snap = last_snapshot_;
    snap.updated_at = Clock::now();
    snap.cycle_number = p.cycle;
    snap.cycle_started_at = p.started_at;
    snap.cycle_duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - p.started).count();
    if (p.stage == PassStage::Executing) {
      const auto retired = snap.resources.retired;
      snap.resources = {p.total + retired, p.in_sync, p.pending, p.failed, p.blocked, retired};
      if (p.writes_done < p.writes_planned) snap.phase = Phase::Converging;
    }
    snap.arm_requests.clear();
    for (const auto& [key, n] : counters_->snapshot())
      snap.arm_requests[{key.first, key.second == "error" ? 0 : std::atoi(key.second.c_str())}] = n;
    publisher_.publish_progress(snap, progress_line(p, throttled(), std::chrono::steady_clock::now()));
  }

  void arm_signals() {
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        reload();
      } else if (stopping_) {
        // A second SIGTERM/SIGINT cuts the drain short: what is in flight stays journalled and
        // resumes at the next start, as after a drain that ran out of time.
        spdlog::warn("{} received again: stopping now; in-flight operations resume at the next start",
                     sig == SIGTERM ? "SIGTERM" : "SIGINT");
        finish_shutdown();
      } else {
        spdlog::info("{} received: finishing in-flight operations (at most {} s)", sig == SIGTERM ? "SIGTERM" : "SIGINT",
                     options_.drain_deadline.count());
        begin_shutdown(kExitOk);
      }
      arm_signals();
    });
  }

  void reload() {
    notifier_.reloading();
    spdlog::info("SIGHUP received: reloading {}", options_.config_path);
    auto fresh = commands::load_config_or_report(options_.config_path);
    if (!fresh) {
      spdlog::error("the new config of {} is invalid; keeping the one in force", options_.config_path);
    } else if (fresh->state.database != cfg_.state.database) {
      spdlog::error("state.database cannot change on reload ({} -> {}); keeping the config in force; restart instead",
                    cfg_.state.database, fresh->state.database);
    } else {
      cfg_ = *fresh;
      setup_logging(cfg_.log, stderr_is_journal());
      cycle_.set_config(cfg_);
      publisher_.set_paths(cfg_.status);
      spdlog::info("config reloaded; it applies from the next cycle");
    }
    notifier_.ready();
  }

  void begin_shutdown(int code) {
    if (stopping_) return;
    stopping_ = true;
    exit_code_ = code;
    next_cycle_.cancel();
    deadline_.cancel();
    if (!cycle_.running()) {
      finish_shutdown();
      return;
    }
    cycle_.stop();
    notifier_.extend_timeout(std::chrono::duration_cast<std::chrono::microseconds>(options_.drain_deadline));
    drain_.expires_after(options_.drain_deadline);
    drain_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      spdlog::warn("in-flight operations did not finish within {} s; they stay journalled and resume at the next start",
                   options_.drain_deadline.count());
      finish_shutdown();
    });
  }

  void finish_shutdown() {
    drain_.cancel();
    progress_timer_.cancel();
    watchdog_.cancel();
    signals_.cancel();
    io_.stop();
  }

  // WATCHDOG=1 says the daemon is making progress, not merely that its loop turns: between passes
  // it always is; during a pass only while something moves (an ARM answer arrived, a step ended,
  // a write finished). A pass that moved nothing for a whole WATCHDOG_USEC (twice the ping
  // interval) is stuck: the ping is withheld, and systemd restarts the daemon, which resumes from
  // its journal.
  bool making_progress(std::chrono::microseconds stall_limit) {
    const auto now = std::chrono::steady_clock::now();
    const auto p = cycle_.progress();
    if (!p.running()) {
      stalled_logged_ = false;
      last_moved_ = now;
      return true;
    }
    const auto token = std::make_tuple(p.cycle, static_cast<int>(p.stage), p.writes_done, p.in_flight, counters_->total());
    if (token != last_token_) {
      last_token_ = token;
      last_moved_ = now;
      stalled_logged_ = false;
    }
    if (now - last_moved_ < stall_limit) return true;
    if (!stalled_logged_) {
      spdlog::warn("pass {} made no progress for {} s ({}); withholding the watchdog so that systemd restarts the daemon",
                   p.cycle, std::chrono::duration_cast<std::chrono::seconds>(now - last_moved_).count(), to_string(p.stage));
      stalled_logged_ = true;
    }
    return false;
  }

  void arm_watchdog() {
    auto interval = notifier_.watchdog_interval();
    if (!interval) return;
    if (making_progress(*interval * 2)) notifier_.watchdog();
    watchdog_.expires_after(*interval);
    watchdog_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) arm_watchdog();
    });
  }

  config::Config cfg_;
  ServiceOptions options_;
  std::unique_ptr<state::Store> store_;
  std::shared_ptr<azure::RequestCounters> counters_;
  // After the store: handlers still queued when the loop stops are destroyed with io_, and what they
  // hold (the reconcile pass) may refer to the store, which must outlive them.
  asio::io_context io_;
  MigrationCycle cycle_;
  asio::signal_set signals_;
  asio::steady_timer next_cycle_, watchdog_, deadline_, drain_, progress_timer_;
  Notifier notifier_;
  StatusPublisher publisher_;  // after notifier_, which it refers to
  std::unique_ptr<TerminalStatusLine> terminal_;  // --progress tty
  StatusSnapshot last_snapshot_;                  // the last full publication; progress overlays it
  std::chrono::steady_clock::time_point last_progress_publish_{};
  std::tuple<std::int64_t, int, std::int64_t, std::int64_t, std::uint64_t> last_token_{};
  std::chrono::steady_clock::time_point last_moved_ = std::chrono::steady_clock::now();
  bool stalled_logged_ = false;
  bool stopping_ = false;
  int exit_code_ = kExitOk;
};

}  // namespace

int run_service(const config::Config& cfg, const ServiceOptions& options) {
  ::umask(077);  // the database, its WAL and everything else the daemon creates stay private
  Service service(cfg, options);
  return service.run();
}

}  // namespace bai2aml::daemon
