// Stopping with writes in flight (issue 13): the daemon exits 0 whether its in-flight writes finish
// within the drain or a second signal cuts the drain short, and under the sanitized build (CI runs
// this file in both builds) without an AddressSanitizer, LeakSanitizer or UBSan report. What was in
// flight stays journalled: the next apply converges.
#include <signal.h>

#include <catch2/catch.hpp>

#include "tests/e2e/e2e_fixture.hpp"

using namespace bai2aml::testing;

namespace {

const int kClusters = 220;

// The sample estate plus kClusters plain clusters in its first workspace: a pass of more than 200 writes.
std::string seed_with_many_clusters() {
  auto seed = nlohmann::json::parse(sample_seed_with_ample_quota());
  std::string ws;
  for (const auto& r : seed["resources"])
    if (r["type"] == "Microsoft.BatchAI/workspaces") {
      ws = r["id"].get<std::string>();
      break;
    }
  REQUIRE_FALSE(ws.empty());
  for (int c = 0; c < kClusters; ++c) {
    const std::string name = "bulk" + std::to_string(c);
    seed["resources"].push_back(
        {{"id", ws + "/clusters/" + name}, {"name", name}, {"type", "Microsoft.BatchAI/workspaces/clusters"},
         {"properties",
          {{"vmSize", "STANDARD_D1_V2"}, {"vmPriority", "dedicated"},
           {"scaleSettings", {{"manual", {{"targetNodeCount", 0}, {"nodeDeallocationOption", "requeue"}}}}},
           {"provisioningState", "succeeded"}, {"allocationState", "steady"}}}});
  }
  return seed.dump();
}

std::string tail(const std::string& text, std::size_t n) { return text.size() > n ? text.substr(text.size() - n) : text; }

void check_no_sanitizer_report(const std::string& err) {
  INFO(err.substr(0, 4000));
  CHECK(err.find("AddressSanitizer") == std::string::npos);
  CHECK(err.find("LeakSanitizer") == std::string::npos);
  CHECK(err.find("runtime error:") == std::string::npos);
}

}  // namespace

TEST_CASE("SIGTERM with 200 writes queued and in flight exits 0 without a sanitizer report, twice over, and loses nothing") {
  // Every ARM request takes 300 ms, so that writes are in flight whenever the signal comes.
  EmulatorProcess emulator(seed_with_many_clusters(), {"--lro-ms", "200", "--latency-ms", "300"});
  E2eBench bench(emulator);
  auto cfg = bench.config_json();
  cfg["azure"]["max_parallel"] = 64;
  bench.write_config(cfg);

  SECTION("the drain lets the in-flight writes finish") {
    ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()}, {}, bench.file("run.out"), bench.file("run.err"));
    REQUIRE(eventually([&] { return write_requests(emulator) >= 8; }, std::chrono::seconds(60)));
    run.signal(SIGTERM);
    const int code = run.wait(std::chrono::seconds(40));
    INFO(tail(read_file(bench.file("run.err")), 4000));
    CHECK(code == 0);
    check_no_sanitizer_report(read_file(bench.file("run.err")));
  }
  SECTION("a second signal stops at once, the rest stays journalled") {
    ChildProcess run({BAI2AML_BIN, "run", "--config", bench.config_path()}, {}, bench.file("run.out"), bench.file("run.err"));
    REQUIRE(eventually([&] { return write_requests(emulator) >= 8; }, std::chrono::seconds(60)));
    run.signal(SIGTERM);
    // Signals sent back to back may arrive as one: the second one goes once the first was taken.
    REQUIRE(eventually([&] { return read_file(bench.file("run.err")).find("SIGTERM received") != std::string::npos; }));
    run.signal(SIGTERM);
    const int code = run.wait(std::chrono::seconds(40));
    const std::string err = read_file(bench.file("run.err"));
    INFO(tail(err, 4000));
    CHECK(code == 0);
    check_no_sanitizer_report(err);
    CHECK(err.find("stopping now") != std::string::npos);
  }
  auto r = bench.bai2aml({"apply", "--config", bench.config_path(), "--timeout", "300"}, 330);
  INFO(r.err.substr(0, 4000));
  CHECK(r.exit_code == 0);
  check_no_sanitizer_report(r.err);
  CHECK_SAME_IDS(aml_resource_ids(emulator), desired_ids(bench));
}
