// Test helper: opens a store, says so on stdout, then replaces the inventory with N resources in one
// transaction, over and over, until killed. The test kills it with SIGKILL at a random moment.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "state/store.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: state_crash_writer DB N\n");
    return 2;
  }
  auto store = bai2aml::state::Store::open(argv[1], {true});
  const int n = std::atoi(argv[2]);
  std::vector<nlohmann::json> resources;
  for (int round = 1;; ++round) {
    resources.clear();
    for (int i = 0; i < n; ++i)
      resources.push_back({{"id", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/w/clusters/c" +
                                      std::to_string(i)},
                           {"properties", {{"round", round}, {"padding", std::string(200, 'x')}}}});
    store->replace_inventory(resources, std::chrono::system_clock::now());
    std::printf("round %d\n", round);
    std::fflush(stdout);
  }
}
