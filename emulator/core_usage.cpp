#include "emulator/core_usage.hpp"

#include <algorithm>

#include "emulator/http_types.hpp"
#include "emulator/json_util.hpp"
#include "emulator/vm_catalog.hpp"

namespace bai2aml::emulator {

using nlohmann::json;

const json& aml_properties(const json& compute) {
  static const json empty = json::object();
  const json::json_pointer p("/properties/properties");
  return compute.contains(p) && compute.at(p).is_object() ? compute.at(p) : empty;
}

bool low_priority(const json& props) { return iequals(string_or(props, "vmPriority", "Dedicated"), "LowPriority"); }

long long min_node_count(const json& props) {
  const auto it = props.find("scaleSettings");
  const long long n = it != props.end() && it->is_object() ? int_or(*it, "minNodeCount", 0) : 0;
  return std::clamp<long long>(n, 0, kMaxNodeCount);  // a seed may say anything; the products stay in range
}

void CoreUsage::count(const json& compute, int sign) {
  const json& p = aml_properties(compute);
  const VmSize* size = find_vm_size(string_or(p, "vmSize", ""));
  if (!size) return;  // not counted: the validator refuses unknown sizes, seeds may hold anything
  clusters += sign;
  const long long cores = sign * min_node_count(p) * size->vcpus;
  if (emulator::low_priority(p)) {
    low_priority += cores;
    family_low_priority[size->family] += cores;
  } else {
    dedicated += cores;
    family_dedicated[size->family] += cores;
  }
}

}  // namespace bai2aml::emulator
