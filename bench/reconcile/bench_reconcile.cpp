// Reconcile benchmarks (issue 6), the real bai2aml against the real bai2aml-emulator on loopback:
//   1. the ARM requests of a no-op cycle over N clusters in W workspaces (goal: <= 120 for 1,000
//      clusters in 10 workspaces, zero writes);
//   2. a cold migration of C clusters under an ARM-like write bucket (--write-rate R --write-burst B),
//      against the bucket's lower bound (writes - B) / R (goal: <= 1.15x).
// Usage: bench_reconcile [--noop-clusters N] [--workspaces W] [--cold-clusters C] [--write-rate R] [--write-burst B]
// Prints figures; asserts nothing.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/common/bench_config.hpp"
#include "tests/support/emulator_process.hpp"
#include "tests/support/support.hpp"

using namespace bai2aml::testing;
using nlohmann::json;

namespace {

const char* kSub = "00000000-0000-0000-0000-000000000001";

json seed(int clusters, int workspaces) {
  json s = {{"resources", json::array()},
            {"quotas", {{"eastus", {{"standardDv2Family", 10000000}, {"totalDedicated", 10000000}, {"clusters", 100000}}}}}};
  for (int w = 0; w < workspaces; ++w) {
    const std::string ws = "/subscriptions/" + std::string(kSub) + "/resourceGroups/bench-rg/providers/Microsoft.BatchAI/workspaces/ws" + std::to_string(w);
    s["resources"].push_back({{"id", ws}, {"name", "ws" + std::to_string(w)}, {"type", "Microsoft.BatchAI/workspaces"},
                              {"location", "eastus"}, {"properties", {{"provisioningState", "succeeded"}}}});
  }
  for (int c = 0; c < clusters; ++c) {
    const int w = c % workspaces;
    const std::string name = "c" + std::to_string(c);
    const std::string id = "/subscriptions/" + std::string(kSub) + "/resourceGroups/bench-rg/providers/Microsoft.BatchAI/workspaces/ws" +
                           std::to_string(w) + "/clusters/" + name;
    s["resources"].push_back({{"id", id}, {"name", name}, {"type", "Microsoft.BatchAI/workspaces/clusters"},
                              {"properties",
                               {{"vmSize", "STANDARD_D1_V2"}, {"vmPriority", "dedicated"},
                                {"scaleSettings", {{"manual", {{"targetNodeCount", 1}, {"nodeDeallocationOption", "requeue"}}}}},
                                {"provisioningState", "succeeded"}, {"allocationState", "steady"}}}});
  }
  return s;
}

struct Bench {
  TempDir dir;
  std::string config;
  Bench(const EmulatorProcess& emu) {
    write_file(dir.file("client-secret"), "bench-secret");
    config = dir.file("bai2aml.json");
    write_file(config, bai2aml::bench::bench_config(emu.base_url(), dir.path()).dump());
  }
  double apply(int timeout_s) const {
    const auto t0 = std::chrono::steady_clock::now();
    const int rc = run_command({BAI2AML_BIN, "apply", "--config", config, "--timeout", std::to_string(timeout_s)},
                               dir.file("apply.out"), dir.file("apply.err"), {}, std::chrono::seconds(timeout_s + 30));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (rc != 0) std::fprintf(stderr, "apply exited %d:\n%s\n", rc, read_file(dir.file("apply.err")).c_str());
    return s;
  }
};

long count(const json& stats, const char* method) { return stats["requests"].value(method, 0L); }
long writes(const json& s) { return count(s, "PUT") + count(s, "PATCH") + count(s, "DELETE") + count(s, "POST"); }

}  // namespace

int main(int argc, char** argv) {
  int noop_clusters = 1000, workspaces = 10, cold_clusters = 400;
  double write_rate = 10, write_burst = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string f = argv[i];
    const double v = std::atof(argv[i + 1]);
    if (f == "--noop-clusters") noop_clusters = static_cast<int>(v);
    else if (f == "--workspaces") workspaces = static_cast<int>(v);
    else if (f == "--cold-clusters") cold_clusters = static_cast<int>(v);
    else if (f == "--write-rate") write_rate = v;
    else if (f == "--write-burst") write_burst = v;
  }

  {
    EmulatorProcess emu(seed(noop_clusters, workspaces).dump(), {"--lro-ms", "100"});
    Bench b(emu);
    const double cold = b.apply(900);
    emu.reset_stats();
    const double noop = b.apply(300);
    const auto s = emu.stats();
    std::printf("no-op cycle over %d clusters in %d workspaces: %ld ARM requests (%ld GET, %ld writes), apply %.2f s "
                "(the cold migration before it: %.1f s)\n",
                noop_clusters, workspaces, count(s, "GET") + writes(s), count(s, "GET"), writes(s), noop, cold);
  }
  {
    EmulatorProcess emu(seed(cold_clusters, workspaces).dump(),
                        {"--lro-ms", "100", "--write-rate", std::to_string(write_rate), "--write-burst", std::to_string(write_burst)});
    Bench b(emu);
    const double t = b.apply(1800);
    const auto s = emu.stats();
    const long w = writes(s);
    const double bound = std::max(0.0, (static_cast<double>(w) - write_burst) / write_rate);
    std::printf("cold migration of %d clusters under --write-rate %.0f --write-burst %.0f: %.1f s for %ld writes "
                "and %ld GET (%ld throttled 429s); bucket lower bound %.1f s; ratio %.2fx\n",
                cold_clusters, write_rate, write_burst, t, w, count(s, "GET"), s.value("throttled", 0L), bound,
                bound > 0 ? t / bound : 0.0);
  }
  return 0;
}
