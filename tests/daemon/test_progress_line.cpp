// The one-line picture of a pass in progress (daemon/progress_line.hpp) and the terminal line that
// shows it (daemon/terminal_status_line.hpp), on a real pseudo-terminal.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <string>

#include "daemon/logging.hpp"
#include "daemon/progress_line.hpp"
#include "daemon/terminal_status_line.hpp"

using namespace bai2aml::daemon;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

namespace {

PassProgress executing(std::int64_t planned, std::int64_t done, Steady::time_point since) {
  PassProgress p;
  p.cycle = 3;
  p.stage = PassStage::Executing;
  p.total = 1000;
  p.in_sync = 812;
  p.failed = 2;
  p.blocked = 5;
  p.pending = 181;
  p.writes_planned = planned;
  p.writes_done = done;
  p.in_flight = 14;
  p.executing_since = since;
  return p;
}

// Everything the pseudo-terminal received so far.
std::string drain(int master) {
  std::string out;
  char buf[4096];
  pollfd pfd{master, POLLIN, 0};
  while (::poll(&pfd, 1, 50) > 0) {
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

TEST_CASE("progress line: stage, counts, writes, throttling and the ETA at the pass's own pace") {
  const auto now = Steady::now();
  // 120 writes in 60 s: 0.5 s a write, 280 left -> 140 s.
  const auto line = progress_line(executing(400, 120, now - 60s), 3, now);
  CHECK(line == "pass 3 executing: 812/1000 in sync, 2 failed, 5 blocked; writes 120/400, 14 in flight; 3 throttled; ETA 2m20s");
}

TEST_CASE("progress line: no ETA before the first write finished, nor when nothing is left") {
  const auto now = Steady::now();
  CHECK_FALSE(estimate_remaining(executing(400, 0, now - 10s), now));
  CHECK_FALSE(estimate_remaining(executing(400, 400, now - 10s), now));
  CHECK(progress_line(executing(400, 0, now - 10s), 0, now).find("ETA") == std::string::npos);
}

TEST_CASE("progress line: before the plan there is only the stage") {
  PassProgress p;
  p.cycle = 1;
  p.stage = PassStage::ReadingSource;
  CHECK(progress_line(p, 0, Steady::now()) == "pass 1 reading source");
  p.stage = PassStage::Observing;
  CHECK(progress_line(p, 2, Steady::now()) == "pass 1 observing; 2 throttled");
}

TEST_CASE("short durations") {
  CHECK(short_duration(0s) == "0s");
  CHECK(short_duration(59s) == "59s");
  CHECK(short_duration(61s) == "1m01s");
  CHECK(short_duration(3h + 5min + 7s) == "3h05m");
  CHECK(short_duration(-5s) == "0s");
}

TEST_CASE("terminal status line: drawn in place, erased around a log line, erased at the end") {
  int master = -1, slave = -1;
  REQUIRE(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
  {
    TerminalStatusLine line(slave);
    line.show("pass 1 observing");
    line.show("pass 1 executing: 3/10 in sync");
    const auto drawn = drain(master);
    CHECK(drawn == "\r\033[Kpass 1 observing\r\033[Kpass 1 executing: 3/10 in sync");

    // stderr is not this terminal here: the log line goes to stderr untouched and the status
    // line stays as it is.
    line.write_log("");
    CHECK(drain(master).empty());

    line.clear();
    CHECK(drain(master) == "\r\033[K");
    line.clear();  // nothing drawn: nothing to erase
    CHECK(drain(master).empty());
    line.show("pass 2 planning");
    drain(master);
  }
  CHECK(drain(master) == "\r\033[K");  // the destructor leaves a clean line
  ::close(slave);
  ::close(master);
}

TEST_CASE("terminal status line: a long line is cut to the terminal's width") {
  int master = -1, slave = -1;
  winsize ws{};
  ws.ws_col = 40;
  ws.ws_row = 10;
  REQUIRE(::openpty(&master, &slave, nullptr, nullptr, &ws) == 0);
  {
    TerminalStatusLine line(slave);
    line.show(std::string(100, 'x'));
    CHECK(drain(master) == "\r\033[K" + std::string(39, 'x'));
  }
  ::close(slave);
  ::close(master);
}
