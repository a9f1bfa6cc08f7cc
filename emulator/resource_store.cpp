#include "emulator/resource_store.hpp"

#include "emulator/arm_path.hpp"
#include "emulator/http_types.hpp"

namespace bai2aml::emulator {

namespace {
bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }
}  // namespace

nlohmann::json* ResourceStore::Tx::get(const std::string& id) {
  auto it = items_.find(id_key(id));
  return it == items_.end() ? nullptr : &it->second;
}

const nlohmann::json* ResourceStore::Tx::find(const std::string& id) const {
  auto it = items_.find(id_key(id));
  return it == items_.end() ? nullptr : &it->second;
}

bool ResourceStore::Tx::exists(const std::string& id) const { return items_.count(id_key(id)) > 0; }

void ResourceStore::Tx::put(const nlohmann::json& resource) {
  items_[id_key(resource.at("id").get<std::string>())] = resource;
}

size_t ResourceStore::Tx::erase_tree(const std::string& id) {
  const std::string key = id_key(id);
  size_t n = items_.erase(key);
  const std::string prefix = key + "/";
  for (auto it = items_.lower_bound(prefix); it != items_.end() && starts_with(it->first, prefix);) {
    it = items_.erase(it);
    ++n;
  }
  return n;
}

std::vector<const nlohmann::json*> ResourceStore::Tx::children(const std::string& parent_id,
                                                               const std::string& type) const {
  std::vector<const nlohmann::json*> out;
  const std::string prefix = id_key(parent_id) + "/" + to_lower(type) + "/";
  for (auto it = items_.lower_bound(prefix); it != items_.end() && starts_with(it->first, prefix); ++it)
    if (it->first.find('/', prefix.size()) == std::string::npos) out.push_back(&it->second);
  return out;
}

std::vector<const nlohmann::json*> ResourceStore::Tx::top_level(const std::string& scope,
                                                                const std::string& provider_ns,
                                                                const std::string& type) const {
  std::vector<const nlohmann::json*> out;
  const std::string tail = "/providers/" + to_lower(provider_ns) + "/" + to_lower(type) + "/";
  const std::string scope_key = id_key(scope);
  const bool rg_scope = scope_key.find("/resourcegroups/") != std::string::npos;
  const std::string prefix = rg_scope ? scope_key + tail : scope_key + "/resourcegroups/";
  for (auto it = items_.lower_bound(prefix); it != items_.end() && starts_with(it->first, prefix); ++it) {
    const std::string& key = it->first;
    size_t name_start;
    if (rg_scope) {
      name_start = prefix.size();
    } else {
      size_t rg_end = key.find('/', prefix.size());
      if (rg_end == std::string::npos || key.compare(rg_end, tail.size(), tail) != 0) continue;
      name_start = rg_end + tail.size();
    }
    if (key.find('/', name_start) == std::string::npos) out.push_back(&it->second);
  }
  return out;
}

std::vector<const nlohmann::json*> ResourceStore::Tx::with_prefix(const std::string& prefix) const {
  std::vector<const nlohmann::json*> out;
  const std::string key = to_lower(prefix);
  for (auto it = items_.lower_bound(key); it != items_.end() && starts_with(it->first, key); ++it)
    out.push_back(&it->second);
  return out;
}

std::optional<nlohmann::json> ResourceStore::get(const std::string& id) const {
  std::shared_lock lock(mu_);
  auto it = items_.find(id_key(id));
  if (it == items_.end()) return std::nullopt;
  return it->second;
}

size_t ResourceStore::size() const {
  std::shared_lock lock(mu_);
  return items_.size();
}

}  // namespace bai2aml::emulator
