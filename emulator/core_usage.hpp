// The vCPUs a subscription's AmlComputes hold in one region, as AML counts them for quota: each
// cluster its minNodeCount x vCPUs (what an idle cluster keeps), dedicated or low priority, per VM
// family. The store keeps one per region and updates it as computes come, change and go (issue 13:
// a compute PUT used to add up every compute of the region, so a cold migration was quadratic).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace bai2aml::emulator {

struct CoreUsage {
  long long clusters = 0;
  long long dedicated = 0, low_priority = 0;
  std::map<std::string, long long> family_dedicated, family_low_priority;  // family id -> vCPUs

  void add(const nlohmann::json& compute) { count(compute, +1); }
  void remove(const nlohmann::json& compute) { count(compute, -1); }
  bool empty() const { return clusters == 0; }

 private:
  void count(const nlohmann::json& compute, int sign);
};

// A stored AmlCompute's properties.properties ({} when absent or not an object).
const nlohmann::json& aml_properties(const nlohmann::json& compute);
// Whether those properties ask for low-priority VMs (AML's vmPriority, case-insensitive).
bool low_priority(const nlohmann::json& aml_props);
// Their scaleSettings.minNodeCount (0 when absent), within [0, kMaxNodeCount].
constexpr long long kMaxNodeCount = 1'000'000;
long long min_node_count(const nlohmann::json& aml_props);

}  // namespace bai2aml::emulator
