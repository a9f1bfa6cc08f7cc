// bai2aml run as a service: sd_notify, signals, status files.
#include <signal.h>

#include <catch2/catch.hpp>
#include <thread>

#include "tests/daemon/notify_socket.hpp"
#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;
using bai2aml::daemon::test::NotifySocket;

namespace {

// Datagrams until one contains `what` (or none arrives for 2 s in a row).
bool wait_for_message(NotifySocket& sock, const std::string& what, std::vector<std::string>& seen,
                      std::chrono::seconds limit = std::chrono::seconds(60)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto m = sock.receive();
    if (m.empty()) continue;
    seen.push_back(m);
    if (m.find(what) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("run: READY, STATUS, WATCHDOG and STOPPING on NOTIFY_SOCKET - status files - SIGTERM exits 0") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "200"});
  E2eBench bench(emulator);
  NotifySocket sock(bench.file("notify.sock"));
  ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()},
                   {{"NOTIFY_SOCKET", bench.file("notify.sock")}, {"WATCHDOG_USEC", "400000"}}, bench.file("run.out"),
                   bench.file("run.err"));
  std::vector<std::string> seen;
  REQUIRE(wait_for_message(sock, "READY=1", seen));
  REQUIRE(wait_for_message(sock, "STATUS=converged", seen));
  REQUIRE(wait_for_message(sock, "WATCHDOG=1", seen));

  // status.json: exactly the keys and types of DESIGN.md §4.3.
  const auto st = nlohmann::json::parse(read_file(bench.file("status.json")));
  CHECK(st["version"] == 1);
  for (const char* key : {"updated_at", "cutoff", "seconds_to_cutoff", "phase", "source", "cycle", "resources", "findings",
                          "projected_completion", "last_error"})
    CHECK(st.contains(key));
  CHECK(st.size() == 11);
  CHECK(st["phase"] == "converged");
  CHECK(st["seconds_to_cutoff"].is_number_integer());
  CHECK(st["source"]["mode"] == "live");
  REQUIRE(st["source"]["fetched_at"].is_string());  // the inventory was read: its real time, not "never"
  CHECK(st["source"]["fetched_at"] != "1970-01-01T00:00:00Z");
  CHECK(st["cycle"]["number"].get<int>() >= 1);
  for (const char* key : {"total", "in_sync", "pending", "failed", "blocked", "retired"}) CHECK(st["resources"][key].is_number_integer());
  CHECK(st["resources"]["pending"] == 0);
  // The Prometheus textfile carries the same figures.
  const auto prom = read_file(bench.file("bai2aml.prom"));
  CHECK(prom.find("bai2aml_resources{state=\"in_sync\"} " + std::to_string(st["resources"]["in_sync"].get<int>())) != std::string::npos);
  CHECK(prom.find("bai2aml_seconds_to_cutoff ") != std::string::npos);
  CHECK(prom.find("bai2aml_arm_requests_total{method=\"PUT\"") != std::string::npos);
  CHECK(prom.find("bai2aml_last_converged_timestamp_seconds ") != std::string::npos);
  // No secret reached the logs or the status files.
  for (const auto& f : {bench.file("run.err"), bench.file("status.json"), bench.file("bai2aml.prom")}) {
    const auto text = read_file(f);
    CHECK(text.find("e2e-client-secret") == std::string::npos);
    CHECK(text.find("ZTJlLWtleQ") == std::string::npos);
  }

  run.signal(SIGTERM);
  CHECK(run.wait(std::chrono::seconds(30)) == 0);
  CHECK(wait_for_message(sock, "STOPPING=1", seen, std::chrono::seconds(5)));
}

TEST_CASE("SIGTERM mid-migration loses nothing: a restart converges") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "1500"});
  E2eBench bench(emulator);
  {
    ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()}, {}, bench.file("run.out"), bench.file("run.err"));
    REQUIRE(eventually([&] { return write_requests(emulator) >= 2; }, std::chrono::seconds(30)));
    run.signal(SIGTERM);
    CHECK(run.wait(std::chrono::seconds(30)) == 0);
  }
  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "120"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(bench.status()["phase"] == "converged");
}

TEST_CASE("SIGHUP reloads a valid config and keeps the old one when the new one is broken") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "200"});
  E2eBench bench(emulator);
  ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()}, {}, bench.file("run.out"), bench.file("run.err"));
  REQUIRE(eventually([&] { return read_file(bench.file("run.err")).find("cycle 1:") != std::string::npos; },
                     std::chrono::seconds(60)));
  auto cfg = bench.config_json();
  cfg["interval_seconds"] = 5;
  bench.write_config(cfg);
  run.signal(SIGHUP);
  REQUIRE(eventually([&] { return read_file(bench.file("run.err")).find("config reloaded") != std::string::npos; }));

  bench.write_config(nlohmann::json{{"interval_seconds", "often"}});
  run.signal(SIGHUP);
  REQUIRE(eventually([&] { return read_file(bench.file("run.err")).find("keeping the one in force") != std::string::npos; }));
  CHECK(read_file(bench.file("run.err")).find("interval_seconds: must be an integer") != std::string::npos);
  CHECK(run.running());
  run.signal(SIGTERM);
  CHECK(run.wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("a second daemon on the same database exits with a clear message") {
  EmulatorProcess emulator(sample_seed_with_ample_quota(), {"--lro-ms", "200"});
  E2eBench bench(emulator);
  ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()}, {}, bench.file("run.out"), bench.file("run.err"));
  REQUIRE(eventually([&] { return read_file(bench.file("run.err")).find("starting") != std::string::npos; }));
  auto second = bench.bai2aml({"run", "--config", bench.config_path()}, 30);
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("in use by another bai2aml process") != std::string::npos);
  run.signal(SIGTERM);
  CHECK(run.wait(std::chrono::seconds(30)) == 0);
}
