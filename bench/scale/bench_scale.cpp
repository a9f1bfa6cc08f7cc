// bench_scale (issue 13): what bai2aml costs at size, the real binary against the real emulator.
//
// For estates of about 3,000, 30,200 and 100,000 Batch AI resources (W workspaces with one experiment
// each, C clusters spread over them, J finished jobs; finished jobs are not migrated, so the AML side
// is W workspaces + C computes), it prints:
//   - the no-op pass: bai2aml's CPU (user + system, from wait4's rusage), its peak RSS, the ARM requests
//     it sent and the emulator's CPU for them. The state is the one a cold migration leaves: the
//     emulator holds the migrated AML resources (built by the emulator's own PUT logic) and the journal
//     one succeeded PUT (plus its audit row) per resource; one `apply` pass runs first over it (the
//     first pass stores inventory, desired and observed), then the measured one;
//   - `plan --json` at the largest estate: peak RSS and CPU;
//   - a real cold migration of the smallest estate at unlimited rate: bai2aml CPU per write.
// CPU time, not wall time, is the figure to compare: the machine is shared. Asserts nothing.
//
//   bench_scale [--estates W:C:J,...] [--cold W:C:J] [--skip-plan]
// BAI2AML_BIN and BAI2AML_EMULATOR in the environment run other builds (a "before" copy).
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bench/common/bench_config.hpp"
#include "config/config_loader.hpp"
#include "emulator/resource_kind.hpp"
#include "emulator/resource_lifecycle.hpp"
#include "emulator/arm_path.hpp"
#include "emulator/http_types.hpp"
#include "reconcile/body_hash.hpp"
#include "state/store.hpp"
#include "tests/support/emulator_process.hpp"
#include "tests/support/support.hpp"
#include "translate/translate.hpp"

extern char** environ;

using namespace bai2aml::testing;
using nlohmann::json;

namespace {

const char* kSub = "00000000-0000-0000-0000-000000000001";

struct Estate {
  int workspaces = 0, clusters = 0, jobs = 0;
  int resources() const { return 2 * workspaces + clusters + jobs; }  // + one experiment per workspace
};

Estate parse_estate(const std::string& s) {
  Estate e;
  if (std::sscanf(s.c_str(), "%d:%d:%d", &e.workspaces, &e.clusters, &e.jobs) != 3 || e.workspaces <= 0) {
    std::fprintf(stderr, "bad estate '%s' (want W:C:J)\n", s.c_str());
    std::exit(2);
  }
  return e;
}

std::string ws_id(int w) {
  return "/subscriptions/" + std::string(kSub) + "/resourceGroups/bench-rg/providers/Microsoft.BatchAI/workspaces/ws" +
         std::to_string(w);
}

std::vector<json> batchai_estate(const Estate& e) {
  std::vector<json> out;
  out.reserve(static_cast<std::size_t>(e.resources()));
  for (int w = 0; w < e.workspaces; ++w) {
    out.push_back({{"id", ws_id(w)}, {"name", "ws" + std::to_string(w)}, {"type", "Microsoft.BatchAI/workspaces"},
                   {"location", "eastus"}, {"properties", {{"provisioningState", "succeeded"}}}});
    out.push_back({{"id", ws_id(w) + "/experiments/exp"}, {"name", "exp"}, {"type", "Microsoft.BatchAI/workspaces/experiments"},
                   {"properties", {{"provisioningState", "succeeded"}}}});
  }
  for (int c = 0; c < e.clusters; ++c) {
    const std::string name = "c" + std::to_string(c);
    out.push_back({{"id", ws_id(c % e.workspaces) + "/clusters/" + name}, {"name", name},
                   {"type", "Microsoft.BatchAI/workspaces/clusters"},
                   {"properties",
                    {{"vmSize", "STANDARD_D1_V2"}, {"vmPriority", "dedicated"},
                     {"scaleSettings", {{"manual", {{"targetNodeCount", 1}, {"nodeDeallocationOption", "requeue"}}}}},
                     {"provisioningState", "succeeded"}, {"allocationState", "steady"}}}});
  }
  for (int j = 0; j < e.jobs; ++j) {
    const int w = j % e.workspaces;
    const std::string name = "job" + std::to_string(j);
    out.push_back({{"id", ws_id(w) + "/experiments/exp/jobs/" + name}, {"name", name},
                   {"type", "Microsoft.BatchAI/workspaces/experiments/jobs"},
                   {"properties",
                    {{"cluster", {{"id", ws_id(w) + "/clusters/c" + std::to_string(w)}}}, {"nodeCount", 1},
                     {"toolType", "custom"}, {"customToolkitSettings", {{"commandLine", "python train.py"}}},
                     {"executionState", j % 2 ? "succeeded" : "failed"}, {"provisioningState", "succeeded"},
                     {"executionInfo", {{"startTime", "2018-06-01T00:00:00Z"}, {"endTime", "2018-06-01T01:00:00Z"}, {"exitCode", 0}}}}}});
  }
  return out;
}

json quotas() { return {{"eastus", {{"standardDv2Family", 100000000}, {"totalDedicated", 100000000}, {"clusters", 10000000}}}}; }

// ---- measured child processes ----------------------------------------------------------------------

struct Usage {
  int exit_code = -1;
  double wall_s = 0, user_s = 0, sys_s = 0;
  long max_rss_kib = 0;
  double cpu() const { return user_s + sys_s; }
};

Usage run_measured(const std::vector<std::string>& argv, const std::string& out_file, const std::string& err_file) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = -1;
  Usage u;
  if (posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) {
    std::fprintf(stderr, "cannot start %s\n", args[0]);
    return u;
  }
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  u.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  u.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  u.user_s = static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6;
  u.sys_s = static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6;
  u.max_rss_kib = ru.ru_maxrss;
  return u;
}

// ru_maxrss is not the child's own peak when the child was spawned from a big process: Linux carries
// the high-water mark of the address space a process leaves at exec into its maxrss, and posix_spawn
// (vfork) execs from the parent's. This benchmark holds whole estates (hundreds of MiB), which every
// bai2aml figure then showed as its "peak". So the measured children are spawned by a launcher forked
// at start, while the benchmark is still small (its own peak is printed with the figures).
class Launcher {
 public:
  void start() {
    int req[2], resp[2];
    if (pipe(req) != 0 || pipe(resp) != 0) std::exit(1);
    pid_ = fork();
    if (pid_ < 0) std::exit(1);
    if (pid_ == 0) {
      close(req[1]);
      close(resp[0]);
      serve(req[0], resp[1]);
      _exit(0);
    }
    close(req[0]);
    close(resp[1]);
    to_ = req[1];
    from_ = resp[0];
  }
  // argv, then the files stdout and stderr go to; what wait4 said of the child.
  Usage run(const std::vector<std::string>& argv, const std::string& out_file, const std::string& err_file) {
    std::string msg = out_file + '\0' + err_file + '\0';
    for (const auto& a : argv) msg += a + '\0';
    const auto n = static_cast<std::uint32_t>(msg.size());
    Usage u;
    if (!write_all(to_, &n, sizeof n) || !write_all(to_, msg.data(), msg.size()) || !read_all(from_, &u, sizeof u)) {
      std::fprintf(stderr, "the launcher is gone\n");
      std::exit(1);
    }
    return u;
  }
  long own_peak_kib() const {
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
  }

 private:
  static bool write_all(int fd, const void* p, std::size_t n) {
    const char* c = static_cast<const char*>(p);
    while (n > 0) {
      const ssize_t w = write(fd, c, n);
      if (w <= 0) return false;
      c += w;
      n -= static_cast<std::size_t>(w);
    }
    return true;
  }
  static bool read_all(int fd, void* p, std::size_t n) {
    char* c = static_cast<char*>(p);
    while (n > 0) {
      const ssize_t r = read(fd, c, n);
      if (r <= 0) return false;
      c += r;
      n -= static_cast<std::size_t>(r);
    }
    return true;
  }
  static void serve(int in, int out) {
    for (std::uint32_t n = 0; read_all(in, &n, sizeof n);) {
      std::string msg(n, '\0');
      if (!read_all(in, msg.data(), n)) return;
      std::vector<std::string> parts;
      for (std::size_t at = 0; at < msg.size();) {
        const auto end = msg.find('\0', at);
        parts.push_back(msg.substr(at, end - at));
        at = end + 1;
      }
      const Usage u = run_measured(std::vector<std::string>(parts.begin() + 2, parts.end()), parts[0], parts[1]);
      if (!write_all(out, &u, sizeof u)) return;
    }
  }
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
};

Launcher launcher;

// CPU seconds (user + system) a running process has used so far.
double process_cpu(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  const auto close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  std::vector<std::string> f;
  while (rest >> field) f.push_back(field);
  if (f.size() < 13) return 0;
  return static_cast<double>(std::stoull(f[11]) + std::stoull(f[12])) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long count(const json& stats, const char* method) { return stats["requests"].value(method, 0L); }
long writes(const json& s) { return count(s, "PUT") + count(s, "PATCH") + count(s, "DELETE") + count(s, "POST"); }

// ---- one estate ----------------------------------------------------------------------------------

struct Workdir {
  TempDir dir;
  std::string config;
  Workdir() { write_file(dir.file("client-secret"), "bench-secret"); }
  // The config names the emulator's address, known only once it runs; nothing else in it depends on that.
  void set_endpoint(const std::string& endpoint) {
    config = dir.file("bai2aml.json");
    write_file(config, bai2aml::bench::bench_config(endpoint, dir.path()).dump());
  }
  Usage bai2aml(const std::vector<std::string>& args, const std::string& tag) const {
    const char* other = std::getenv("BAI2AML_BIN");  // another build to measure (with BAI2AML_EMULATOR)
    std::vector<std::string> argv;
    // BAI2AML_BENCH_PERF=FILE: the no-op pass runs under `perf record -g` (its CPU figure then includes perf's).
    if (const char* perf = std::getenv("BAI2AML_BENCH_PERF"); perf && *perf && tag == "noop")
      argv = {"/usr/bin/perf", "record", "-g", "-q", "-o", perf, "--"};
    argv.push_back(other && *other ? other : BAI2AML_BIN);
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--config");
    argv.push_back(config);
    Usage u = launcher.run(argv, dir.file(tag + ".out"), dir.file(tag + ".err"));
    if (u.exit_code != 0)
      std::fprintf(stderr, "bai2aml %s exited %d:\n%s\n", args[0].c_str(), u.exit_code,
                   read_file(dir.file(tag + ".err")).substr(0, 2000).c_str());
    return u;
  }
};

// What a finished cold migration leaves: the AML resources in the emulator (as its PUT stores them,
// Succeeded) and, in the journal, one succeeded PUT with its audit row per resource.
std::vector<json> migrated_aml(const std::vector<json>& batchai, const Workdir& wd) {
  auto loaded = bai2aml::config::load_config_file(wd.config);
  if (!loaded.ok()) {
    std::fprintf(stderr, "bench config invalid\n");
    std::exit(1);
  }
  const auto t = bai2aml::translate::translate(batchai, *loaded.config);
  auto store = bai2aml::state::Store::open(loaded.config->state.database, {true});
  std::vector<json> out;
  std::map<std::string, std::string> location_of;
  store->transaction([&] {
    for (const auto& d : t.resources) {
      using namespace bai2aml::emulator;
      const auto path = parse_arm_path(d.id);
      const ResourceKind* kind = kind_of_id(d.id);
      if (!path || !kind) continue;
      const std::string parent = d.id.substr(0, d.id.rfind('/', d.id.rfind('/') - 1));
      json r = build_stored_resource(*kind, d.body, nullptr, d.id, path->names.back(), location_of[to_lower(parent)]);
      if (r.contains("location")) location_of[to_lower(d.id)] = r["location"].get<std::string>();
      set_provisioning_state(kind->id, r, "Succeeded");
      if (kind->id == KindId::AmlCompute) r["properties"]["properties"]["allocationState"] = "Steady";
      out.push_back(std::move(r));
      bai2aml::state::Operation op;
      op.resource_id = d.id;
      op.action = "create";
      op.method = "PUT";
      op.url = "https://management.azure.com" + d.id + "?api-version=2024-04-01";
      op.body_hash = bai2aml::reconcile::body_hash(d.body);
      op.client_request_id = "bench";
      const auto op_id = store->journal_intent(op);
      store->journal_sent(op_id, 201, std::string(op.url + "&operation=1"));
      store->journal_finished(op_id, "succeeded", 200, std::nullopt, std::nullopt);
      store->append_audit({0, "", op_id, d.id, "PUT", op.url, op.body_hash, "bench", 201, "accepted", 20});
    }
  });
  return out;
}

void noop_figures(const Estate& e, bool plan_json) {
  const auto batchai = batchai_estate(e);
  Workdir wd;
  wd.set_endpoint("http://127.0.0.1:9");
  const auto aml = migrated_aml(batchai, wd);
  json seed = {{"resources", batchai}, {"quotas", quotas()}};
  for (const auto& r : aml) seed["resources"].push_back(r);
  EmulatorProcess emu(seed.dump(), {"--lro-ms", "50"});
  wd.set_endpoint(emu.base_url());

  const Usage first = wd.bai2aml({"apply", "--timeout", "1800"}, "first");
  const long first_writes = writes(emu.stats());  // 0: the state really is converged
  emu.reset_stats();
  const double emu0 = process_cpu(emu.pid());
  const Usage noop = wd.bai2aml({"apply", "--timeout", "1800"}, "noop");
  const double emu_cpu = process_cpu(emu.pid()) - emu0;
  const auto s = emu.stats();
  std::printf("estate %6d resources (%d workspaces, %d clusters, %d finished jobs; %zu AML resources):\n", e.resources(),
              e.workspaces, e.clusters, e.jobs, aml.size());
  std::printf("  first pass over the migrated state: CPU %.2f s (user %.2f, sys %.2f), peak RSS %.0f MiB, wall %.1f s, %ld writes\n",
              first.cpu(), first.user_s, first.sys_s, static_cast<double>(first.max_rss_kib) / 1024, first.wall_s, first_writes);
  std::printf("  no-op pass: CPU %.2f s (user %.2f, sys %.2f), peak RSS %.0f MiB, wall %.1f s, %ld requests (%ld GET, %ld writes); "
              "emulator CPU %.2f s\n",
              noop.cpu(), noop.user_s, noop.sys_s, static_cast<double>(noop.max_rss_kib) / 1024, noop.wall_s,
              count(s, "GET") + writes(s), count(s, "GET"), writes(s), emu_cpu);
  if (plan_json) {
    const Usage plan = wd.bai2aml({"plan", "--json"}, "plan");
    std::printf("  plan --json: CPU %.2f s, peak RSS %.0f MiB, wall %.1f s, output %zu bytes\n", plan.cpu(),
                static_cast<double>(plan.max_rss_kib) / 1024, plan.wall_s, read_file(wd.dir.file("plan.out")).size());
  }
  std::printf("  (this benchmark's own peak RSS so far: %.0f MiB, not part of the figures above)\n",
              static_cast<double>(launcher.own_peak_kib()) / 1024);
  std::fflush(stdout);
}

void cold_figures(const Estate& e) {
  const auto batchai = batchai_estate(e);
  json seed = {{"resources", batchai}, {"quotas", quotas()}};
  EmulatorProcess emu(seed.dump(), {"--lro-ms", "50"});
  Workdir wd;
  wd.set_endpoint(emu.base_url());
  const double emu0 = process_cpu(emu.pid());
  const Usage cold = wd.bai2aml({"apply", "--timeout", "3600"}, "cold");
  const double emu_cpu = process_cpu(emu.pid()) - emu0;
  const auto s = emu.stats();
  const long w = writes(s);
  std::printf("cold migration of %d resources (%d clusters) at unlimited rate: %ld writes, %ld GET; bai2aml CPU %.2f s "
              "(%.2f ms per write), peak RSS %.0f MiB, wall %.1f s; emulator CPU %.2f s\n",
              e.resources(), e.clusters, w, count(s, "GET"), cold.cpu(), w > 0 ? 1000 * cold.cpu() / static_cast<double>(w) : 0.0,
              static_cast<double>(cold.max_rss_kib) / 1024, cold.wall_s, emu_cpu);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Estate> estates = {parse_estate("10:1000:2000"), parse_estate("100:10000:20000"),
                                 parse_estate("331:33100:66200")};
  Estate cold = parse_estate("10:1000:2000");
  bool plan = true;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    if (f == "--skip-plan") {
      plan = false;
    } else if (f == "--estates" && i + 1 < argc) {
      estates.clear();
      std::stringstream list(argv[++i]);
      for (std::string item; std::getline(list, item, ',');) estates.push_back(parse_estate(item));
    } else if (f == "--cold" && i + 1 < argc) {
      cold = parse_estate(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: bench_scale [--estates W:C:J,...] [--cold W:C:J] [--skip-plan]\n");
      return 2;
    }
  }
  launcher.start();  // first: the measured processes are spawned from a small process
  std::printf("CPU = user + system seconds of the bai2aml process (wait4); RSS = its peak resident set.\n");
  cold_figures(cold);
  for (std::size_t i = 0; i < estates.size(); ++i) noop_figures(estates[i], plan && i + 1 == estates.size());
  return 0;
}
