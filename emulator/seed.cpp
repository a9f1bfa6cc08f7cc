#include "emulator/seed.hpp"

#include <fstream>
#include <sstream>

#include "emulator/arm_path.hpp"
#include "emulator/location.hpp"
#include "config/untrusted_json.hpp"

namespace bai2aml::emulator {

std::string check_seed_resource(const nlohmann::json& r) {
  if (!r.is_object()) return "must be a JSON object";
  if (!r.contains("id") || !r.at("id").is_string()) return "has no string \"id\"";
  const std::string id = r.at("id").get<std::string>();
  auto p = parse_arm_path(id);
  Provider provider;
  if (!p || p->resource_group.empty() || !p->is_item() || !provider_from_namespace(p->provider_ns, provider))
    return "id '" + id + "' is not a Microsoft.BatchAI or Microsoft.MachineLearningServices resource id";
  return "";
}

bool is_servable(const nlohmann::json& r) { return kind_of_id(r.at("id").get<std::string>()) != nullptr; }

Seed parse_seed(const nlohmann::json& doc, const std::string& source) {
  Seed seed;
  if (!doc.is_object()) throw SeedError(source + ": the seed must be a JSON object with a \"resources\" array");
  for (const auto& [key, value] : doc.items())
    if (key != "resources" && key != "quotas") throw SeedError(source + ": unknown top-level key '" + key + "'");
  auto res = doc.find("resources");
  if (res == doc.end() || !res->is_array()) throw SeedError(source + ": \"resources\" must be an array");
  for (size_t i = 0; i < res->size(); ++i) {
    if (std::string err = check_seed_resource((*res)[i]); !err.empty())
      throw SeedError(source + ": resources[" + std::to_string(i) + "] " + err);
    seed.resources.push_back((*res)[i]);
  }
  if (auto q = doc.find("quotas"); q != doc.end()) {
    if (!q->is_object()) throw SeedError(source + ": \"quotas\" must be an object of locations");
    for (const auto& [location, limits] : q->items()) {
      if (!limits.is_object()) throw SeedError(source + ": quotas." + location + " must be an object");
      const std::string loc = normalize_location(location);
      for (const auto& [key, limit] : limits.items()) {
        if (!limit.is_number_integer() || limit.get<long long>() < 0)
          throw SeedError(source + ": quotas." + location + "." + key + " must be a non-negative integer");
        bool known = key == "totalDedicated" || key == "totalLowPriority" || key == "clusters";
        for (const auto& f : vm_families()) known = known || f == key;
        if (!known)
          throw SeedError(source + ": quotas." + location + "." + key +
                          " is not a VM family (e.g. standardNCFamily) nor totalDedicated, totalLowPriority, clusters");
        seed.quotas.by_location[loc][key] = limit.get<long long>();
      }
    }
  }
  return seed;
}

Seed load_seed_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SeedError(path + ": cannot open the seed file");
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = config::parse_untrusted_json(ss.str());
  if (!parsed.ok()) throw SeedError(path + ": not valid JSON: " + parsed.error);
  nlohmann::json doc = std::move(parsed.value);
  return parse_seed(doc, path);
}

}  // namespace bai2aml::emulator
