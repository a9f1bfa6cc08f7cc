// Ownership tags (DESIGN §3): every AML resource bai2aml creates carries them. Tracked resources
// (workspace, compute) have them in top-level `tags`; proxy resources (datastore, environment,
// job) in `properties.tags`, as the 2024-04-01 spec defines.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "translate/model.hpp"

namespace bai2aml::translate {

inline constexpr const char* kManagedByTag = "managed-by";
inline constexpr const char* kManagedByValue = "bai2aml";
inline constexpr const char* kSourceTag = "bai2aml-source";

inline nlohmann::json ownership_tags(const std::string& source_id) {
  return {{kManagedByTag, kManagedByValue}, {kSourceTag, source_id}};
}

// Whether the kind keeps its tags at the top level (true) or in properties.tags (false).
inline bool has_top_level_tags(Kind k) { return k == Kind::Workspace || k == Kind::Compute; }

// The tags object of an ARM resource of this kind (GET or PUT shape), or null when it has none.
inline const nlohmann::json* tags_of(Kind k, const nlohmann::json& resource) {
  const nlohmann::json* holder = &resource;
  if (!has_top_level_tags(k)) {
    auto p = resource.find("properties");
    if (p == resource.end() || !p->is_object()) return nullptr;
    holder = &*p;
  }
  auto t = holder->find("tags");
  return t != holder->end() && t->is_object() ? &*t : nullptr;
}

// True when the resource carries managed-by: bai2aml.
inline bool is_owned(Kind k, const nlohmann::json& resource) {
  const nlohmann::json* t = tags_of(k, resource);
  if (!t) return false;
  auto v = t->find(kManagedByTag);
  return v != t->end() && v->is_string() && v->get<std::string>() == kManagedByValue;
}

}  // namespace bai2aml::translate
