#include "emulator/resource_store.hpp"

#include "emulator/arm_path.hpp"
#include "emulator/http_types.hpp"
#include "emulator/location.hpp"

namespace bai2aml::emulator {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string region_of(const nlohmann::json& resource) {
  const auto it = resource.find("location");
  return it != resource.end() && it->is_string() ? normalize_location(it->get_ref<const std::string&>()) : std::string();
}

// The collections a stored key belongs to, and whether it is an AmlCompute (then its name-in-region
// and subscription-in-region index keys).
struct IndexKeys {
  std::vector<std::string> collections;
  std::string compute_name, compute_region;
};

IndexKeys index_keys(const std::string& key, const nlohmann::json& resource) {
  IndexKeys k;
  ArmPath p;
  const ResourceKind* kind = kind_of_id(key, &p);
  if (!kind) return k;  // stored only (admin listing): no LIST serves it
  k.collections.push_back(key.substr(0, key.rfind('/')));
  if (p.types.size() == 1)
    k.collections.push_back("/subscriptions/" + p.subscription + "/providers/" + p.provider_ns + "/" + p.types[0]);
  if (kind->id == KindId::AmlCompute) {
    const std::string region = region_of(resource);
    k.compute_name = region + '\x1f' + p.names.back();
    k.compute_region = "/subscriptions/" + p.subscription + '\x1f' + region;
  }
  return k;
}

void remove_member(std::map<std::string, std::set<std::string>>& index, const std::string& bucket, const std::string& key) {
  auto it = index.find(bucket);
  if (it == index.end()) return;
  it->second.erase(key);
  if (it->second.empty()) index.erase(it);
}

}  // namespace

std::string ResourceStore::children_key(const std::string& parent_id, const std::string& type) {
  return id_key(parent_id) + "/" + to_lower(type);
}

std::string ResourceStore::top_level_key(const std::string& scope, const std::string& provider_ns, const std::string& type) {
  return id_key(scope) + "/providers/" + to_lower(provider_ns) + "/" + to_lower(type);
}

void ResourceStore::Tx::index(const std::string& key, const nlohmann::json& resource) {
  IndexKeys k = index_keys(key, resource);
  for (const auto& c : k.collections) s_.collections[c].insert(key);
  if (!k.compute_name.empty()) {
    s_.computes_by_name[k.compute_name].insert(key);
    s_.usage_by_region[k.compute_region].add(resource);
  }
}

void ResourceStore::Tx::unindex(const std::string& key, const nlohmann::json& resource) {
  IndexKeys k = index_keys(key, resource);
  for (const auto& c : k.collections) remove_member(s_.collections, c, key);
  if (!k.compute_name.empty()) {
    remove_member(s_.computes_by_name, k.compute_name, key);
    if (auto it = s_.usage_by_region.find(k.compute_region); it != s_.usage_by_region.end()) {
      it->second.remove(resource);
      if (it->second.empty()) s_.usage_by_region.erase(it);
    }
  }
}

nlohmann::json* ResourceStore::Tx::get(const std::string& id) {
  auto it = s_.items.find(id_key(id));
  return it == s_.items.end() ? nullptr : &it->second;
}

const nlohmann::json* ResourceStore::Tx::find(const std::string& id) const {
  auto it = s_.items.find(id_key(id));
  return it == s_.items.end() ? nullptr : &it->second;
}

bool ResourceStore::Tx::exists(const std::string& id) const { return s_.items.count(id_key(id)) > 0; }

void ResourceStore::Tx::put(const nlohmann::json& resource) {
  const std::string key = id_key(resource.at("id").get<std::string>());
  auto it = s_.items.find(key);
  if (it != s_.items.end()) {
    unindex(key, it->second);
    it->second = resource;
  } else {
    s_.items.emplace(key, resource);
  }
  index(key, resource);
}

size_t ResourceStore::Tx::erase_tree(const std::string& id) {
  const std::string key = id_key(id);
  size_t n = 0;
  if (auto it = s_.items.find(key); it != s_.items.end()) {
    unindex(key, it->second);
    s_.items.erase(it);
    ++n;
  }
  const std::string prefix = key + "/";
  for (auto it = s_.items.lower_bound(prefix); it != s_.items.end() && starts_with(it->first, prefix);) {
    unindex(it->first, it->second);
    it = s_.items.erase(it);
    ++n;
  }
  return n;
}

std::vector<const nlohmann::json*> ResourceStore::Tx::members(const std::string& collection_key) const {
  std::vector<const nlohmann::json*> out;
  auto c = s_.collections.find(collection_key);
  if (c == s_.collections.end()) return out;
  out.reserve(c->second.size());
  for (const auto& key : c->second) out.push_back(&s_.items.at(key));
  return out;
}

std::vector<const nlohmann::json*> ResourceStore::Tx::children(const std::string& parent_id,
                                                               const std::string& type) const {
  return members(children_key(parent_id, type));
}

std::vector<const nlohmann::json*> ResourceStore::Tx::top_level(const std::string& scope,
                                                                const std::string& provider_ns,
                                                                const std::string& type) const {
  return members(top_level_key(scope, provider_ns, type));
}

ResourceStore::Page ResourceStore::Tx::page(const std::string& collection_key, const std::string& after, size_t skip,
                                            size_t limit) const {
  Page out;
  auto c = s_.collections.find(collection_key);
  if (c == s_.collections.end()) return out;
  const auto& keys = c->second;
  auto it = keys.begin();
  if (!after.empty()) {
    it = keys.upper_bound(after);
  } else {
    for (size_t i = 0; i < skip && it != keys.end(); ++i) ++it;
  }
  for (; it != keys.end() && out.items.size() < limit; ++it) {
    out.items.push_back(&s_.items.at(*it));
    out.last_key = *it;
  }
  out.more = it != keys.end();
  return out;
}

std::vector<const nlohmann::json*> ResourceStore::Tx::with_prefix(const std::string& prefix) const {
  std::vector<const nlohmann::json*> out;
  const std::string key = to_lower(prefix);
  for (auto it = s_.items.lower_bound(key); it != s_.items.end() && starts_with(it->first, key); ++it)
    out.push_back(&it->second);
  return out;
}

std::vector<const nlohmann::json*> ResourceStore::Tx::computes_named(const std::string& location,
                                                                     const std::string& name) const {
  std::vector<const nlohmann::json*> out;
  auto it = s_.computes_by_name.find(location + '\x1f' + to_lower(name));
  if (it != s_.computes_by_name.end())
    for (const auto& key : it->second) out.push_back(&s_.items.at(key));
  return out;
}

CoreUsage ResourceStore::Tx::core_usage(const std::string& subscription, const std::string& location) const {
  auto it = s_.usage_by_region.find("/subscriptions/" + to_lower(subscription) + '\x1f' + location);
  return it == s_.usage_by_region.end() ? CoreUsage{} : it->second;
}

std::optional<nlohmann::json> ResourceStore::get(const std::string& id) const {
  std::shared_lock lock(mu_);
  auto it = state_.items.find(id_key(id));
  if (it == state_.items.end()) return std::nullopt;
  return it->second;
}

size_t ResourceStore::size() const {
  std::shared_lock lock(mu_);
  return state_.items.size();
}

}  // namespace bai2aml::emulator
