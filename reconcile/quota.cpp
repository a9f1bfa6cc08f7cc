#include "reconcile/quota.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <map>
#include <optional>

#include "reconcile/arm_id.hpp"
#include "reconcile/text.hpp"

namespace bai2aml::reconcile {
namespace {

using nlohmann::json;

// Letters and digits only, lower case: "standardNCFamily" and "Standard NC Family" meet as
// "standardncfamily"; "Standard_NC_Family" too.
std::string squash(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::string string_at(const json& obj, const char* key) {
  if (!obj.is_object()) return "";
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// Every figure the quota math reads (node counts, vCPUs, limits, usages) is clamped to
// -1..kMaxQuotaFigure (-1: AML's "unlimited"): Azure's largest are around 1e5, and the bound keeps
// each product of two (nodes x vCPUs <= 1e14) and the sum of such products over 10^4 computes inside
// long long, whatever a broken or hostile answer says (1e300, -2^63, 2^64-1).
constexpr long long kMaxQuotaFigure = 10000000;

std::optional<long long> int_at(const json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return std::nullopt;
  if (it->is_number_unsigned()) return std::min<unsigned long long>(it->get<unsigned long long>(), kMaxQuotaFigure);
  if (it->is_number_integer()) return std::clamp<long long>(it->get<long long>(), -1, kMaxQuotaFigure);
  const double d = it->get<double>();
  if (std::isnan(d)) return std::nullopt;
  return static_cast<long long>(std::clamp<double>(d, -1, kMaxQuotaFigure));
}

const json& values(const json& list) {
  static const json empty = json::array();
  if (list.is_object()) {
    const auto it = list.find("value");
    if (it != list.end() && it->is_array()) return *it;
  }
  return list.is_array() ? list : empty;
}

const json& member(const json& obj, const char* key) {
  static const json null;
  if (!obj.is_object()) return null;
  const auto it = obj.find(key);
  return it == obj.end() ? null : *it;
}

struct VmSize {
  std::string family;  // as the API spells it
  long long vcpus = 0;
};

struct Pool {
  std::string label;  // the usage's name, for findings
  long long limit = 0;
  long long used = 0;   // currentValue: cores the subscription's clusters hold now
  long long taken = 0;  // by earlier computes in this check (their minimum)
  bool unlimited() const { return limit < 0; }
  long long available() const { return limit - used - taken; }
  std::string figures() const {
    return "limit " + std::to_string(limit) + ", in use " + std::to_string(used) +
           (taken ? ", planned for other computes " + std::to_string(taken) : std::string());
  }
};

// What a compute body asks of the quota.
struct Demand {
  std::string vm_size;
  std::string priority;  // dedicated | lowpriority
  long long min_nodes = 0;
  long long max_nodes = 0;
};

Demand demand_of(const json& body) {
  const json& props = member(member(body, "properties"), "properties");
  const json& scale = member(props, "scaleSettings");
  Demand d;
  d.vm_size = string_at(props, "vmSize");
  d.priority = squash(string_at(props, "vmPriority")) == "lowpriority" ? "lowpriority" : "dedicated";
  d.min_nodes = std::max(0LL, int_at(scale, "minNodeCount").value_or(0));
  d.max_nodes = std::max(0LL, int_at(scale, "maxNodeCount").value_or(0));
  return d;
}

// Usage name "Standard NC Family Cluster Dedicated vCPUs" -> ("standardncfamily", "dedicated").
bool parse_family_usage(const std::string& name, std::string& family, std::string& priority) {
  const std::string n = squash(name);
  for (const char* p : {"dedicated", "lowpriority"}) {
    const std::string suffix = std::string("cluster") + p + "vcpus";
    if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) {
      family = n.substr(0, n.size() - suffix.size());
      priority = p;
      return true;
    }
  }
  return false;
}

// The location's sizes and quota pools.
struct Quotas {
  std::map<std::string, VmSize> sizes;  // squash(name) ->
  std::map<std::string, Pool> families;  // squash(family) + "/" + priority
  std::map<std::string, Pool> regional;  // priority

  Quotas(const json& vm_sizes, const json& usages) {
    for (const auto& v : values(vm_sizes)) {
      const std::string name = string_at(v, "name");
      const auto vcpus = int_at(v, "vCPUs");
      if (name.empty() || !vcpus) continue;
      sizes[squash(name)] = VmSize{string_at(v, "family"), *vcpus};
    }
    for (const auto& u : values(usages)) {
      const std::string type = ascii_lower(string_at(u, "type"));
      const std::string id = ascii_lower(string_at(u, "id"));
      const std::string name = string_at(member(u, "name"), "value");
      const auto limit = int_at(u, "limit");
      const auto current = int_at(u, "currentValue");
      if (name.empty() || !limit || !current) continue;
      if (id.find("/workspaces/") != std::string::npos) continue;  // per-workspace or per-compute usage
      Pool pool{name, *limit, *current, 0};
      if (type.find("dedicatedcores") != std::string::npos) {
        regional["dedicated"] = pool;
      } else if (type.find("lowprioritycores") != std::string::npos) {
        regional["lowpriority"] = pool;
      } else {
        std::string family, priority;
        if (parse_family_usage(name, family, priority)) families[family + "/" + priority] = pool;
      }
    }
  }

  const VmSize* size(const std::string& vm_size) const {
    const auto it = sizes.find(squash(vm_size));
    return it == sizes.end() ? nullptr : &it->second;
  }
  Pool* family(const VmSize& size, const std::string& priority) {
    const auto it = families.find(squash(size.family) + "/" + priority);
    return it == families.end() ? nullptr : &it->second;
  }
  Pool* total(const std::string& priority) {
    const auto it = regional.find(priority);
    return it == regional.end() ? nullptr : &it->second;
  }
};

std::string source_of(const translate::DesiredResource& d) { return d.source_id.empty() ? d.id : d.source_id; }

translate::Finding size_unavailable(const translate::DesiredResource& d, const std::string& what, const std::string& vm_size) {
  return {"vm-size-unavailable", translate::Severity::Error, source_of(d),
          what + " " + d.id + " asks for VM size '" + vm_size +
              "', which the target location does not offer for AmlCompute",
          "map the cluster to a VM size listed by the location's vmSizes API, or choose another target.location"};
}

// quota-max-exceeded when maxNodeCount x vCPUs exceeds what a pool leaves (plus `own`: the compute's
// own cores already counted in the pool's use).
std::optional<translate::Finding> max_exceeded(const translate::DesiredResource& c, const Demand& demand,
                                               const VmSize& size, long long own, std::initializer_list<const Pool*> pools) {
  const long long wanted = demand.max_nodes * size.vcpus;
  for (const Pool* pool : pools) {
    if (!pool || pool->unlimited()) continue;
    const long long room = std::max(0LL, pool->available() + own);
    if (wanted <= room) continue;
    return translate::Finding{
        "quota-max-exceeded", translate::Severity::Warning, source_of(c),
        "compute " + c.id + " can scale to " + std::to_string(room / std::max(1LL, size.vcpus)) + " of its " +
            std::to_string(demand.max_nodes) + " nodes: maxNodeCount x vCPUs = " + std::to_string(demand.max_nodes) +
            " x " + std::to_string(size.vcpus) + " = " + std::to_string(wanted) + " vCPUs of " + demand.vm_size +
            ", and the " + pool->label + " quota (" + pool->figures() + ") leaves it " + std::to_string(room) +
            " (AML creates it; it cannot scale past the quota)",
        "request a quota increase for the VM family if jobs need the full size"};
  }
  return std::nullopt;
}

std::string nodes(long long n) { return std::to_string(n) + (n == 1 ? " node" : " nodes"); }

}  // namespace

QuotaCheck check_quota(const std::vector<translate::DesiredResource>& computes, const json& vm_sizes,
                       const json& usages, const std::vector<translate::DesiredResource>& existing) {
  Quotas quotas(vm_sizes, usages);
  QuotaCheck out;
  for (const auto& c : existing) {
    const Demand demand = demand_of(c.body);
    const VmSize* size = quotas.size(demand.vm_size);
    if (!size) continue;
    const long long own = demand.min_nodes * size->vcpus;  // part of the usage already
    if (auto f = max_exceeded(c, demand, *size, own, {quotas.family(*size, demand.priority), quotas.total(demand.priority)}))
      out.findings.push_back(std::move(*f));
  }
  for (const auto& c : computes) {
    const Demand demand = demand_of(c.body);
    const VmSize* size = quotas.size(demand.vm_size);
    if (!size) {
      out.held.push_back(c.id);
      out.findings.push_back(size_unavailable(c, "compute", demand.vm_size));
      continue;
    }
    // AML creates the cluster when its quota can hold the minimum, and at least one node.
    const long long at_least = std::max(1LL, demand.min_nodes);
    const long long needed = at_least * size->vcpus;
    Pool* family = quotas.family(*size, demand.priority);
    Pool* total = quotas.total(demand.priority);
    const Pool* short_of = nullptr;
    for (const Pool* pool : {family, total})
      if (pool && !pool->unlimited() && needed > pool->available()) {
        short_of = pool;
        break;
      }
    if (short_of) {
      out.held.push_back(c.id);
      out.findings.push_back(
          {"quota-insufficient", translate::Severity::Error, source_of(c),
           "compute " + c.id + " is held, as AML would refuse it: the subscription's " + short_of->label + " quota (" +
               short_of->figures() + ") has " + std::to_string(std::max(0LL, short_of->available())) +
               " vCPUs free and cannot accommodate for at least " + nodes(at_least) + " of " + demand.vm_size +
               " which maps to " + std::to_string(needed) + " vCPUs",
           "request a quota increase for the VM family in the target location, or lower minNodeCount"});
      continue;
    }
    // Created; can it reach its maximum?
    if (auto f = max_exceeded(c, demand, *size, 0, {family, total})) out.findings.push_back(std::move(*f));
    if (!family) {
      out.findings.push_back({"quota-unknown", translate::Severity::Info, source_of(c),
                              "no usage entry for VM family " + size->family + " (" + demand.priority + "); compute " +
                                  c.id + " is created without a quota check",
                              "none"});
    }
    for (Pool* pool : {family, total})
      if (pool) pool->taken += needed;
    out.fits.push_back(c.id);
  }
  return out;
}

QuotaCheck check_job_quota(const std::vector<translate::DesiredResource>& jobs,
                           const std::map<std::string, json>& compute_bodies, const json& vm_sizes, const json& usages) {
  Quotas quotas(vm_sizes, usages);
  QuotaCheck out;
  for (const auto& j : jobs) {
    const json& props = member(j.body, "properties");
    const auto compute = compute_bodies.find(id_key(string_at(props, "computeId")));
    if (compute == compute_bodies.end()) {
      out.fits.push_back(j.id);
      continue;
    }
    const Demand demand = demand_of(compute->second);
    const VmSize* size = quotas.size(demand.vm_size);
    if (!size) {  // the compute's own check says so
      out.fits.push_back(j.id);
      continue;
    }
    const long long instances = std::max(1LL, int_at(member(props, "resources"), "instanceCount").value_or(1));
    const long long needed = instances * size->vcpus;
    // The family's quota (DESIGN.md §3); low priority has one regional quota for every family.
    const Pool* family = quotas.family(*size, demand.priority);
    const Pool* pool = family ? family : demand.priority == "lowpriority" ? quotas.total(demand.priority) : nullptr;
    const Pool* short_of = pool && !pool->unlimited() && needed > pool->limit ? pool : nullptr;
    if (!short_of) {
      out.fits.push_back(j.id);
      continue;
    }
    out.held.push_back(j.id);
    out.findings.push_back(
        {"quota-job-exceeds", translate::Severity::Error, source_of(j),
         "job " + j.id + " is held, as AML would refuse it (JobNodeCountExceedsCoreQuota): the subscription's " +
             short_of->label + " quota of " + std::to_string(short_of->limit) + " is less than the requested job node count of " +
             std::to_string(instances) + " which maps to " + std::to_string(needed) + " vCPUs (" + demand.vm_size + ")",
         "request a quota increase for the VM family in the target location, or run the job on fewer nodes"});
  }
  return out;
}

}  // namespace bai2aml::reconcile
