#include "emulator/aml_quota.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "emulator/arm_path.hpp"
#include "emulator/json_util.hpp"
#include "emulator/location.hpp"
#include "emulator/resource_kind.hpp"

namespace bai2aml::emulator {

namespace {

using nlohmann::json;

// "standardNCFamily" -> "Standard NC" (AML's quota messages say "Standard NC family vCPU quota").
std::string family_label(const std::string& family) {
  const std::string usage = family_usage_name(family, false);
  return usage.substr(0, usage.find(" Family Cluster "));
}

// The pool a demand of `cores` on `size` (priority from props) overflows, as (label, limit, in use).
struct Short {
  std::string label;
  long long limit = 0, used = 0;
};
std::optional<Short> overflow(const QuotaTable& quotas, const CoreUsage& u, const std::string& location,
                              const VmSize& size, bool lowpri, long long cores, bool against_limit_only) {
  std::vector<Short> pools;
  if (lowpri) {
    pools.push_back({"total low priority", quotas.limit(location, "totalLowPriority"), u.low_priority});
  } else {
    const auto it = u.family_dedicated.find(size.family);
    pools.push_back({family_label(size.family) + " family", quotas.limit(location, size.family),
                     it == u.family_dedicated.end() ? 0 : it->second});
    pools.push_back({"total", quotas.limit(location, "totalDedicated"), u.dedicated});
  }
  if (against_limit_only) pools.resize(1);  // a job: its family's quota (low priority: the regional one) only
  for (const auto& p : pools) {
    if (p.limit < 0) continue;  // unlimited
    if (cores > p.limit - (against_limit_only ? 0 : p.used)) return p;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Response> refuse_compute_for_quota(const QuotaTable& quotas, const ResourceStore::Tx& tx,
                                                 const std::string& subscription, const json& compute) {
  const json& p = aml_properties(compute);
  const VmSize* size = find_vm_size(string_or(p, "vmSize", ""));
  if (!size) return std::nullopt;  // the validator refuses unknown sizes
  const std::string location = normalize_location(string_or(compute, "location", ""));
  const long long nodes = std::max(1LL, min_node_count(p));
  const long long cores = nodes * size->vcpus;
  const auto short_of = overflow(quotas, tx.core_usage(subscription, location), location, *size, low_priority(p), cores, false);
  if (!short_of) return std::nullopt;
  return arm_error(400, "BadRequest",
                   "The specified subscription has a " + short_of->label + " vCPU quota of " +
                       std::to_string(short_of->limit) + " (" + std::to_string(short_of->used) +
                       " in use) and cannot accomodate for at least " + std::to_string(nodes) +
                       " requested managed compute node" + (nodes == 1 ? "" : "s") + " which maps to " +
                       std::to_string(cores) +
                       " vCPUs. Talk to your Subscription Admin or refer to "
                       "https://docs.microsoft.com/azure/machine-learning/how-to-manage-quotas#request-quota-increases "
                       "to increase the quota.");
}

std::optional<Response> refuse_job_for_quota(const QuotaTable& quotas, const ResourceStore::Tx& tx, const json& job) {
  const json& props = job.contains("properties") ? job["properties"] : json::object();
  const std::string compute_id = props.is_object() ? string_or(props, "computeId", "") : "";
  const json* compute = compute_id.empty() ? nullptr : tx.find(compute_id);
  if (!compute) return std::nullopt;
  const json& p = aml_properties(*compute);
  const VmSize* size = find_vm_size(string_or(p, "vmSize", ""));
  if (!size) return std::nullopt;
  long long instances = 1;
  if (props.contains("resources") && props["resources"].is_object())
    instances = std::max(1LL, int_or(props["resources"], "instanceCount", 1));
  const long long cores = instances * size->vcpus;
  const std::string location = normalize_location(string_or(*compute, "location", ""));
  const auto short_of = overflow(quotas, CoreUsage{}, location, *size, low_priority(p), cores, true);
  if (!short_of) return std::nullopt;
  return arm_error(400, "JobNodeCountExceedsCoreQuota",
                   "The specified subscription has a " + short_of->label + " vCPU quota of " +
                       std::to_string(short_of->limit) + " and is less than the requested job node count of " +
                       std::to_string(instances) + " which maps to " + std::to_string(cores) +
                       " vCPUs. Talk to your Subscription Admin or refer to "
                       "https://docs.microsoft.com/azure/machine-learning/how-to-manage-quotas#request-quota-increases "
                       "to increase the quota.");
}

}  // namespace bai2aml::emulator
