#include "reconcile/quota.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

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

std::optional<long long> int_at(const json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return std::nullopt;
  return it->is_number_float() ? static_cast<long long>(it->get<double>()) : it->get<long long>();
}

const json& values(const json& list) {
  static const json empty = json::array();
  if (list.is_object()) {
    const auto it = list.find("value");
    if (it != list.end() && it->is_array()) return *it;
  }
  return list.is_array() ? list : empty;
}

struct VmSize {
  std::string family;  // as the API spells it
  long long vcpus = 0;
};

struct Pool {
  std::string label;  // the usage's name, for findings
  long long limit = 0;
  long long used = 0;
  long long reserved = 0;   // maxNodeCount x vCPUs of the computes that exist
  long long allocated = 0;  // currentNodeCount x vCPUs of those: already part of `used`
  long long taken = 0;      // by earlier computes in this check
  bool unlimited() const { return limit < 0; }
  long long available() const { return limit - std::max(0LL, used - allocated) - reserved - taken; }
};

// What a compute body asks of the quota.
struct Demand {
  std::string vm_size;
  std::string priority;  // dedicated | lowpriority
  long long max_nodes = 0;
  long long current_nodes = 0;  // an existing compute's allocated nodes
};

Demand demand_of(const json& body) {
  const json* props = nullptr;
  if (body.is_object() && body.contains("properties") && body["properties"].is_object() &&
      body["properties"].contains("properties") && body["properties"]["properties"].is_object()) {
    props = &body["properties"]["properties"];
  }
  Demand d;
  d.vm_size = props ? string_at(*props, "vmSize") : "";
  d.priority = props && squash(string_at(*props, "vmPriority")) == "lowpriority" ? "lowpriority" : "dedicated";
  const json scale = props && props->contains("scaleSettings") ? (*props)["scaleSettings"] : json();
  d.max_nodes = int_at(scale, "maxNodeCount").value_or(0);
  d.current_nodes = props ? int_at(*props, "currentNodeCount").value_or(0) : 0;
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

}  // namespace

QuotaCheck check_quota(const std::vector<translate::DesiredResource>& computes, const json& vm_sizes,
                       const json& usages, const std::vector<json>& existing) {
  std::map<std::string, VmSize> sizes;  // squash(name) -> size
  for (const auto& v : values(vm_sizes)) {
    const std::string name = string_at(v, "name");
    const auto vcpus = int_at(v, "vCPUs");
    if (name.empty() || !vcpus) continue;
    sizes[squash(name)] = VmSize{string_at(v, "family"), *vcpus};
  }

  std::map<std::string, Pool> families;  // squash(family) + "/" + priority
  std::map<std::string, Pool> regional;  // priority
  for (const auto& u : values(usages)) {
    const std::string type = ascii_lower(string_at(u, "type"));
    const std::string id = ascii_lower(string_at(u, "id"));
    const json name_obj = u.is_object() && u.contains("name") ? u["name"] : json();
    const std::string name = string_at(name_obj, "value");
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

  for (const auto& body : existing) {
    const Demand d = demand_of(body);
    const auto size = sizes.find(squash(d.vm_size));
    if (size == sizes.end()) continue;
    for (Pool* pool : {families.count(squash(size->second.family) + "/" + d.priority)
                           ? &families[squash(size->second.family) + "/" + d.priority]
                           : nullptr,
                       regional.count(d.priority) ? &regional[d.priority] : nullptr}) {
      if (!pool) continue;
      pool->reserved += d.max_nodes * size->second.vcpus;
      pool->allocated += d.current_nodes * size->second.vcpus;
    }
  }

  QuotaCheck out;
  for (const auto& c : computes) {
    const Demand demand = demand_of(c.body);
    const std::string& vm_size = demand.vm_size;
    const std::string& priority = demand.priority;
    const long long max_nodes = demand.max_nodes;
    const std::string source = c.source_id.empty() ? c.id : c.source_id;

    const auto size = sizes.find(squash(vm_size));
    if (size == sizes.end()) {
      out.held.push_back(c.id);
      out.findings.push_back({"vm-size-unavailable", translate::Severity::Error, source,
                              "compute " + c.id + " asks for VM size '" + vm_size +
                                  "', which the target location does not offer for AmlCompute",
                              "map the cluster to a VM size listed by the location's vmSizes API, or choose another "
                              "target.location"});
      continue;
    }
    const long long needed = max_nodes * size->second.vcpus;
    const std::string family_key = squash(size->second.family) + "/" + priority;
    Pool* family = families.count(family_key) ? &families[family_key] : nullptr;
    Pool* total = regional.count(priority) ? &regional[priority] : nullptr;

    std::string short_of;
    for (Pool* pool : {family, total}) {
      if (!pool || pool->unlimited() || needed <= pool->available()) continue;
      short_of = pool->label + ": needs " + std::to_string(needed) + " cores (" + std::to_string(max_nodes) +
                 " nodes x " + std::to_string(size->second.vcpus) + " vCPUs of " + vm_size + "), available " +
                 std::to_string(std::max(0LL, pool->available())) + " (limit " + std::to_string(pool->limit) +
                 ", in use " + std::to_string(pool->used) +
                 (pool->reserved ? ", reserved by existing computes " + std::to_string(pool->reserved) : std::string()) +
                 (pool->taken ? ", planned for other computes " + std::to_string(pool->taken) : std::string()) + ")";
      break;
    }
    if (!short_of.empty()) {
      out.held.push_back(c.id);
      out.findings.push_back({"quota-insufficient", translate::Severity::Error, source,
                              "compute " + c.id + " is held: family " + size->second.family + " " + short_of,
                              "request a quota increase for the VM family in the target location, or lower "
                              "maxNodeCount"});
      continue;
    }
    if (!family) {
      out.findings.push_back({"quota-unknown", translate::Severity::Info, source,
                              "no usage entry for VM family " + size->second.family + " (" + priority +
                                  "); compute " + c.id + " is created without a quota check",
                              "none"});
    }
    for (Pool* pool : {family, total}) {
      if (pool) pool->taken += needed;
    }
    out.fits.push_back(c.id);
  }
  return out;
}

}  // namespace bai2aml::reconcile
