#include "emulator/vm_catalog.hpp"

#include "emulator/http_types.hpp"

namespace bai2aml::emulator {

const std::vector<VmSize>& vm_sizes() {
  // Figures as published for these sizes (vCPUs, GPUs, memory GiB, OS disk and temp disk MB).
  static const std::vector<VmSize> sizes = {
      {"Standard_D1", "standardDFamily", 1, 0, 3.5, 1047552, 51200, true, false},
      {"Standard_D2", "standardDFamily", 2, 0, 7, 1047552, 102400, true, false},
      {"Standard_D3", "standardDFamily", 4, 0, 14, 1047552, 204800, true, false},
      {"Standard_D4", "standardDFamily", 8, 0, 28, 1047552, 409600, true, false},
      {"Standard_D1_v2", "standardDv2Family", 1, 0, 3.5, 1047552, 51200, true, false},
      {"Standard_D2_v2", "standardDv2Family", 2, 0, 7, 1047552, 102400, true, false},
      {"Standard_D3_v2", "standardDv2Family", 4, 0, 14, 1047552, 204800, true, false},
      {"Standard_D4_v2", "standardDv2Family", 8, 0, 28, 1047552, 409600, true, false},
      {"Standard_D5_v2", "standardDv2Family", 16, 0, 56, 1047552, 819200, true, false},
      {"Standard_D11_v2", "standardDv2Family", 2, 0, 14, 1047552, 102400, true, false},
      {"Standard_D12_v2", "standardDv2Family", 4, 0, 28, 1047552, 204800, true, false},
      {"Standard_D13_v2", "standardDv2Family", 8, 0, 56, 1047552, 409600, true, false},
      {"Standard_D14_v2", "standardDv2Family", 16, 0, 112, 1047552, 819200, true, false},
      {"Standard_DS1_v2", "standardDSv2Family", 1, 0, 3.5, 1047552, 7168, true, true},
      {"Standard_DS2_v2", "standardDSv2Family", 2, 0, 7, 1047552, 14336, true, true},
      {"Standard_DS3_v2", "standardDSv2Family", 4, 0, 14, 1047552, 28672, true, true},
      {"Standard_DS4_v2", "standardDSv2Family", 8, 0, 28, 1047552, 57344, true, true},
      {"Standard_DS5_v2", "standardDSv2Family", 16, 0, 56, 1047552, 114688, true, true},
      {"Standard_DS12_v2", "standardDSv2Family", 4, 0, 28, 1047552, 57344, true, true},
      {"Standard_F4s_v2", "standardFSv2Family", 4, 0, 8, 1047552, 32768, true, true},
      {"Standard_F8s_v2", "standardFSv2Family", 8, 0, 16, 1047552, 65536, true, true},
      {"Standard_F16s_v2", "standardFSv2Family", 16, 0, 32, 1047552, 131072, true, true},
      {"Standard_NC6", "standardNCFamily", 6, 1, 56, 1047552, 389120, true, false},
      {"Standard_NC12", "standardNCFamily", 12, 2, 112, 1047552, 696320, true, false},
      {"Standard_NC24", "standardNCFamily", 24, 4, 224, 1047552, 1474560, true, false},
      {"Standard_NC24r", "standardNCFamily", 24, 4, 224, 1047552, 1474560, true, false},
      {"Standard_NC6s_v2", "standardNCSv2Family", 6, 1, 112, 1047552, 344064, true, true},
      {"Standard_NC12s_v2", "standardNCSv2Family", 12, 2, 224, 1047552, 688128, true, true},
      {"Standard_NC24s_v2", "standardNCSv2Family", 24, 4, 448, 1047552, 1376256, true, true},
      {"Standard_NC6s_v3", "standardNCSv3Family", 6, 1, 112, 1047552, 344064, true, true},
      {"Standard_NC12s_v3", "standardNCSv3Family", 12, 2, 224, 1047552, 688128, true, true},
      {"Standard_NC24s_v3", "standardNCSv3Family", 24, 4, 448, 1047552, 1376256, true, true},
      {"Standard_ND6s", "standardNDSFamily", 6, 1, 112, 1047552, 344064, true, true},
      {"Standard_ND12s", "standardNDSFamily", 12, 2, 224, 1047552, 688128, true, true},
      {"Standard_ND24s", "standardNDSFamily", 24, 4, 448, 1047552, 1376256, true, true},
      {"Standard_NV6", "standardNVFamily", 6, 1, 56, 1047552, 389120, true, false},
      {"Standard_NV12", "standardNVFamily", 12, 2, 112, 1047552, 696320, true, false},
      {"Standard_NV24", "standardNVFamily", 24, 4, 224, 1047552, 1474560, true, false},
  };
  return sizes;
}

const VmSize* find_vm_size(const std::string& name) {
  for (const auto& s : vm_sizes())
    if (iequals(s.name, name)) return &s;
  return nullptr;
}

std::vector<std::string> vm_families() {
  std::vector<std::string> out;
  for (const auto& s : vm_sizes())
    if (out.empty() || out.back() != s.family) out.push_back(s.family);
  return out;
}

std::string family_usage_name(const std::string& family, bool low_priority) {
  std::string token = family;
  if (token.rfind("standard", 0) == 0) token = token.substr(8);
  if (token.size() > 6 && token.compare(token.size() - 6, 6, "Family") == 0) token.resize(token.size() - 6);
  return "Standard " + token + " Family Cluster " + (low_priority ? "LowPriority" : "Dedicated") + " vCPUs";
}

long long QuotaTable::default_limit(const std::string& key) {
  if (key == "totalDedicated") return 350;
  if (key == "totalLowPriority") return 100;
  if (key == "clusters") return 200;
  // A new subscription gets GPU families with 24 cores and CPU families with 100.
  if (key.find("standardN") == 0) return 24;
  return 100;
}

long long QuotaTable::limit(const std::string& location, const std::string& key) const {
  auto loc = by_location.find(to_lower(location));
  if (loc != by_location.end()) {
    auto it = loc->second.find(key);
    if (it != loc->second.end()) return it->second;
  }
  return default_limit(key);
}

}  // namespace bai2aml::emulator
