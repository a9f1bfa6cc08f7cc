// The VM sizes the emulated AML region offers (the sizes Batch AI clusters used, and current ones),
// with their family, and the default per-family core quotas a seed file can override.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace bai2aml::emulator {

struct VmSize {
  std::string name;    // as AML spells it, e.g. "Standard_NC6"
  std::string family;  // as vmSizes reports it, e.g. "standardNCFamily" (the key of a quota)
  int vcpus;
  int gpus;
  double memory_gb;
  int os_vhd_mb;
  int max_resource_volume_mb;
  bool low_priority_capable;
  bool premium_io;
};

const std::vector<VmSize>& vm_sizes();
const VmSize* find_vm_size(const std::string& name);  // case-insensitive; nullptr when unknown

// Families in catalogue order, each once.
std::vector<std::string> vm_families();
// "standardNCFamily" -> "Standard NC Family Cluster Dedicated vCPUs" (the usages API's name.value)
std::string family_usage_name(const std::string& family, bool low_priority);

// Per-location core quotas. Keys: a family id, "totalDedicated" (regional dedicated vCPUs),
// "totalLowPriority" (regional low-priority vCPUs) or "clusters" (number of clusters).
struct QuotaTable {
  std::map<std::string, std::map<std::string, long long>> by_location;  // location (lower case) -> key -> limit
  long long limit(const std::string& location, const std::string& key) const;  // explicit, else the default
  static long long default_limit(const std::string& key);
};

}  // namespace bai2aml::emulator
