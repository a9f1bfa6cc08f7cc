// Translation speed and memory on generated inventories. Prints figures; asserts nothing.
//   bench_translate [SIZE...]      default: 10000 100000
// Each size runs in a forked child so that its peak RSS (getrusage ru_maxrss) is its own. Peak RSS
// is reported after each phase (generated inventory, translation, plan document), so the growth of
// each phase can be read off; times are wall and, for translation, CPU (the machine may be loaded).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/common/inventory_generator.hpp"
#include "translate/render.hpp"
#include "translate/translate.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// CPU time of this process: on a loaded machine wall time overstates the work.
double cpu_ms() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

long self_maxrss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

int run_one(std::size_t size) {
  bai2aml::bench::GeneratorOptions o;
  o.resources = size;
  o.seed = 42;
  auto t0 = Clock::now();
  const auto inventory = bai2aml::bench::generate_inventory(o);
  const double gen_ms = ms_since(t0);
  const long rss_inventory = self_maxrss_kb();

  bai2aml::config::Config cfg;
  cfg.target.subscription_id = "11111111-1111-1111-1111-111111111111";
  cfg.target.resource_group = "aml-rg";
  cfg.target.location = "eastus";
  cfg.mapping.jobs = bai2aml::config::JobsMode::Active;
  cfg.mapping.storage_keys["acct0"] = "/creds/acct0.key";

  t0 = Clock::now();
  const double c0 = cpu_ms();
  const auto t = bai2aml::translate::translate(inventory, cfg);
  const double tr_ms = ms_since(t0);
  const double tr_cpu = cpu_ms() - c0;
  const long rss_translated = self_maxrss_kb();
  t0 = Clock::now();
  const std::size_t doc_bytes = bai2aml::translate::translation_to_json(t).dump().size();
  const double json_ms = ms_since(t0);
  std::printf("%9zu resources  generate %8.1f ms  translate %8.1f ms wall, %8.1f ms CPU (%6.1f ms CPU per 10k)"
              "  plan json %8.1f ms (%zu bytes)  -> %zu desired, %zu findings  peak RSS after inventory %ld MiB, after translation %ld MiB, after plan document %ld MiB\n",
              inventory.size(), gen_ms, tr_ms, tr_cpu, tr_cpu * 10000.0 / static_cast<double>(inventory.size()), json_ms,
              doc_bytes, t.resources.size(), t.findings.size(), rss_inventory / 1024, rss_translated / 1024,
              self_maxrss_kb() / 1024);
  std::fflush(stdout);  // the child leaves with _exit, which does not flush
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(static_cast<std::size_t>(std::strtoull(argv[i], nullptr, 10)));
  if (sizes.empty()) sizes = {10000, 100000};
  for (std::size_t size : sizes) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) _exit(run_one(size));
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "size %zu failed\n", size);
      return 1;
    }
  }
  return 0;
}
