// AML location APIs: GET .../locations/{loc}/vmSizes (the catalogue in vm_catalog.cpp) and
// GET .../locations/{loc}/usages (current vCPU use of the subscription's AmlComputes in that region,
// aml_quota.cpp, against the quotas of the seed file or the defaults).
#include <map>

#include "emulator/aml_quota.hpp"
#include "emulator/json_util.hpp"
#include "emulator/arm_path.hpp"
#include "emulator/context.hpp"
#include "emulator/location.hpp"

namespace bai2aml::emulator {

namespace {

using nlohmann::json;

Response vm_sizes_response() {
  json value = json::array();
  for (const auto& s : vm_sizes())
    value.push_back({{"name", s.name},
                     {"family", s.family},
                     {"vCPUs", s.vcpus},
                     {"gpus", s.gpus},
                     {"osVhdSizeMB", s.os_vhd_mb},
                     {"maxResourceVolumeMB", s.max_resource_volume_mb},
                     {"memoryGB", s.memory_gb},
                     {"lowPriorityCapable", s.low_priority_capable},
                     {"premiumIO", s.premium_io},
                     {"supportedComputeTypes", {"AmlCompute", "ComputeInstance"}}});
  return json_response(200, json{{"value", value}}.dump());
}

Response usages_response(Context& ctx, const Request& req, const ArmPath& p) {
  const std::string location = normalize_location(p.names[0]);
  const CoreUsage u = ctx.store.read([&](const ResourceStore::Tx& tx) { return tx.core_usage(p.subscription, location); });
  const std::string base = "/subscriptions/" + p.subscription + "/providers/Microsoft.MachineLearningServices/locations/" +
                           location + "/usages";
  auto item = [&](const std::string& id_suffix, const std::string& type, const std::string& name, long long current,
                  long long limit) {
    return json{{"id", base + id_suffix},
                {"amlWorkspaceLocation", location},
                {"type", "Microsoft.MachineLearningServices/" + type + "/usages"},
                {"unit", "Count"},
                {"currentValue", current},
                {"limit", limit},
                {"name", {{"value", name}, {"localizedValue", name}}}};
  };
  std::vector<json> all;
  all.push_back(item("", "totalCores", "Clusters", u.clusters, ctx.quotas.limit(location, "clusters")));
  all.push_back(item("", "dedicatedCores", "Total Cluster Dedicated Regional vCPUs", u.dedicated,
                     ctx.quotas.limit(location, "totalDedicated")));
  all.push_back(item("", "lowPriorityCores", "Total Cluster LowPriority Regional vCPUs", u.low_priority,
                     ctx.quotas.limit(location, "totalLowPriority")));
  for (const auto& family : vm_families()) {
    const std::string name = family_usage_name(family, false);
    std::string id = name;
    for (auto& c : id)
      if (c == ' ') c = '_';
    auto it = u.family_dedicated.find(family);
    all.push_back(item("/" + id, "vmFamily", name, it == u.family_dedicated.end() ? 0 : it->second,
                       ctx.quotas.limit(location, family)));
  }
  size_t skip = 0;
  if (const std::string* token = req.query_param("$skipToken")) skip = std::strtoul(token->c_str(), nullptr, 10);
  const size_t page = static_cast<size_t>(ctx.options.page_size);
  json body = {{"value", json::array()}};
  for (size_t i = skip; i < all.size() && i < skip + page; ++i) body["value"].push_back(all[i]);
  if (skip + page < all.size())
    body["nextLink"] = req.base_url + url_encode(req.path) + "?api-version=2024-04-01&$skipToken=" +
                       std::to_string(skip + page);
  return json_response(200, body.dump());
}

}  // namespace

Response handle_location_request(Context& ctx, const Request& req, const ArmPath& p) {
  Provider provider;
  provider_from_namespace(p.provider_ns, provider);
  if (provider == Provider::MachineLearning && p.resource_group.empty() && p.types.size() == 2 && p.names.size() == 1) {
    if (req.method != "GET") return arm_error(405, "MethodNotAllowed", "Only GET is supported here.");
    if (iequals(p.types[1], "vmSizes")) return vm_sizes_response();
    if (iequals(p.types[1], "usages")) return usages_response(ctx, req, p);
  }
  return arm_error(400, "InvalidResourceType", "The location API at '" + req.path + "' is not served by the emulator.");
}

}  // namespace bai2aml::emulator
