// ARM request paths and resource ids: /subscriptions/{s}[/resourceGroups/{rg}]/providers/{ns}/{type}/{name}/...
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "emulator/resource_kind.hpp"

namespace bai2aml::emulator {

struct ArmPath {
  std::string subscription;
  std::string resource_group;  // empty at subscription scope
  std::string provider_ns;     // as written in the path
  std::vector<std::string> types;
  std::vector<std::string> names;  // names.size() == types.size() for an item, == types.size() - 1 for a collection

  bool is_item() const { return names.size() == types.size(); }
  // "/subscriptions/{s}" or "/subscriptions/{s}/resourceGroups/{rg}"
  std::string scope() const;
  // The canonical id of an item (type segments spelled as in `kind`, names as given).
  std::string item_id(const ResourceKind& kind) const;
  // The id of the parent resource of an item or collection (empty for top-level types).
  std::string parent_id(const ResourceKind& kind) const;
};

// nullopt when the path is not of the provider shape above.
std::optional<ArmPath> parse_arm_path(const std::string& path);

// For a stored resource id: which kind it is (nullptr when not one the emulator serves).
const ResourceKind* kind_of_id(const std::string& id, ArmPath* parsed = nullptr);

// Lower-cased key for case-insensitive id lookups.
std::string id_key(const std::string& id);

}  // namespace bai2aml::emulator
