// A pass in progress is visible and watched: status files and STATUS= during a long pass, the
// watchdog withheld while a pass is stuck, and the terminal's status line (through a real
// pseudo-terminal). The real bai2aml against the real emulator; the emulator's --latency-ms makes
// passes long (every ARM call waits that long).
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "tests/daemon/notify_socket.hpp"
#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;
using bai2aml::daemon::test::NotifySocket;
using Steady = std::chrono::steady_clock;

namespace {

struct PtyRun {
  int exit_code = -1;
  std::string output;  // what the terminal showed (stdout and stderr both go to it)
};

// Runs bai2aml with stdin, stdout and stderr on a new pseudo-terminal, as on an operator's console.
PtyRun run_on_pty(const std::vector<std::string>& args, std::chrono::seconds limit = std::chrono::seconds(120)) {
  std::vector<std::string> argv = {BAI2AML_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  winsize ws{};
  ws.ws_col = 200;
  ws.ws_row = 40;
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
  if (pid < 0) throw std::runtime_error("forkpty failed");
  if (pid == 0) {
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  PtyRun r;
  const auto deadline = Steady::now() + limit;
  char buf[4096];
  while (Steady::now() < deadline) {
    pollfd pfd{master, POLLIN, 0};
    if (::poll(&pfd, 1, 200) <= 0) continue;
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO: the child closed the terminal
    r.output.append(buf, static_cast<std::size_t>(n));
  }
  int status = 0;
  if (Steady::now() >= deadline) ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  ::close(master);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

}  // namespace

TEST_CASE("status.json and STATUS= change during a long pass, with the pass's figures so far") {
  // 150 ms per ARM call: the first pass over the sample estate takes several seconds.
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--latency-ms", "150", "--lro-ms", "1000"});
  E2eBench bench(emulator);
  NotifySocket sock(bench.file("notify.sock"));
  ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()}, {{"NOTIFY_SOCKET", bench.file("notify.sock")}},
                   bench.file("run.out"), bench.file("run.err"));
  std::vector<std::string> during;          // STATUS= of pass 1 while it runs
  std::set<std::string> updated_at;         // status.json's updated_at while pass 1 runs
  bool saw_total = false;
  const auto deadline = Steady::now() + std::chrono::seconds(90);
  while (Steady::now() < deadline) {
    const auto m = sock.receive();
    if (m.rfind("STATUS=", 0) != 0) continue;
    if (m.find("(pass 1 ") == std::string::npos) {
      if (!during.empty()) break;  // the publication of the finished pass
      continue;                    // the one at start-up
    }
    during.push_back(m);
    const auto st = nlohmann::json::parse(read_file(bench.file("status.json")));
    CHECK(st["cycle"]["number"] == 1);
    updated_at.insert(st["updated_at"].get<std::string>());
    if (st["resources"]["total"].get<int>() > 0) {
      saw_total = true;
      CHECK(st["phase"] == "converging");
    }
  }
  INFO("STATUS= during pass 1:\n" << [&] {
    std::string all;
    for (const auto& m : during) all += m + "\n";
    return all;
  }());
  CHECK(during.size() >= 2);
  CHECK(updated_at.size() >= 2);  // the file was rewritten during the pass, not only at its end
  CHECK(saw_total);               // with the pass's figures, not "0 of 0"
  run.signal(SIGTERM);
  CHECK(run.wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("the watchdog is withheld while a pass is stuck, and resumes when it moves again") {
  // Each ARM call takes 4 s; WATCHDOG_USEC 1 s: a pass that waits 4 s on one answer is stuck for
  // the watchdog (a ping every 0.5 s while it moves, none after 1 s without progress).
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--latency-ms", "4000"});
  E2eBench bench(emulator);
  NotifySocket sock(bench.file("notify.sock"));
  ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()},
                   {{"NOTIFY_SOCKET", bench.file("notify.sock")}, {"WATCHDOG_USEC", "1000000"}}, bench.file("run.out"),
                   bench.file("run.err"));
  std::vector<Steady::time_point> pings;
  const auto start = Steady::now();
  while (Steady::now() - start < std::chrono::seconds(7)) {
    const auto m = sock.receive();
    if (m.find("WATCHDOG=1") != std::string::npos) pings.push_back(Steady::now());
  }
  run.signal(SIGKILL);  // shutting down is not under test (a drain would wait out the 4 s answers)
  run.wait(std::chrono::seconds(30));
  REQUIRE_FALSE(pings.empty());  // pinged while the pass was young
  // The longest silence: more than the 0.5 s ping interval by far, i.e. pings were withheld.
  std::chrono::milliseconds longest{0};
  for (std::size_t i = 1; i < pings.size(); ++i)
    longest = std::max(longest, std::chrono::duration_cast<std::chrono::milliseconds>(pings[i] - pings[i - 1]));
  INFO("pings: " << pings.size() << ", longest gap " << longest.count() << " ms");
  CHECK(longest >= std::chrono::milliseconds(2000));
  CHECK(pings.size() >= 3);  // and it resumed once an answer arrived
  const auto log = read_file(bench.file("run.err"));
  CHECK(log.find("made no progress") != std::string::npos);
}

TEST_CASE("apply on a terminal keeps one status line - with --progress plain or on a pipe it prints plain lines") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--latency-ms", "100", "--lro-ms", "1500"});
  E2eBench bench(emulator);
  const auto tty = run_on_pty({"apply", "--config", bench.config_path(), "--timeout", "120"});
  INFO(tty.output);
  CHECK(tty.exit_code == 0);
  // The line is redrawn in place (carriage return + erase to end of line), with its figures.
  CHECK(tty.output.find("\r\033[Kpass 1 ") != std::string::npos);
  CHECK(tty.output.find("in sync; writes ") != std::string::npos);
  CHECK(tty.output.find("cycle 1:") != std::string::npos);  // the per-pass log line still appears

  // Forced plain on the same terminal, and auto on a pipe: no control sequences at all.
  const auto plain = run_on_pty({"apply", "--config", bench.config_path(), "--timeout", "120", "--progress", "plain"});
  CHECK(plain.exit_code == 0);
  CHECK(plain.output.find("\033[") == std::string::npos);
  const auto piped = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "120"});
  CHECK(piped.exit_code == 0);
  CHECK((piped.out + piped.err).find("\033[") == std::string::npos);
  CHECK(bench.bai2aml({"apply", "--config", bench.config_path(), "--progress", "fancy"}).exit_code == 2);
}
