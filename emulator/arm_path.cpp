#include "emulator/arm_path.hpp"

#include "emulator/http_types.hpp"

namespace bai2aml::emulator {

namespace {
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) out.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}
}  // namespace

std::string ArmPath::scope() const {
  std::string s = "/subscriptions/" + subscription;
  if (!resource_group.empty()) s += "/resourceGroups/" + resource_group;
  return s;
}

std::string ArmPath::item_id(const ResourceKind& kind) const {
  std::string id = scope() + "/providers/" + provider_namespace(kind.provider);
  for (size_t i = 0; i < names.size() && i < kind.types.size(); ++i) id += "/" + kind.types[i] + "/" + names[i];
  return id;
}

std::string ArmPath::parent_id(const ResourceKind& kind) const {
  if (kind.types.size() < 2) return "";
  std::string id = scope() + "/providers/" + provider_namespace(kind.provider);
  for (size_t i = 0; i + 1 < kind.types.size() && i < names.size(); ++i)
    id += "/" + kind.types[i] + "/" + names[i];
  return id;
}

std::optional<ArmPath> parse_arm_path(const std::string& path) {
  auto seg = split_path(path);
  ArmPath p;
  size_t i = 0;
  if (seg.size() < 4 || !iequals(seg[0], "subscriptions")) return std::nullopt;
  p.subscription = seg[1];
  i = 2;
  if (i + 1 < seg.size() && iequals(seg[i], "resourceGroups")) {
    p.resource_group = seg[i + 1];
    i += 2;
  }
  if (i + 1 >= seg.size() || !iequals(seg[i], "providers")) return std::nullopt;
  p.provider_ns = seg[i + 1];
  i += 2;
  if (i >= seg.size()) return std::nullopt;
  for (; i < seg.size(); i += 2) {
    p.types.push_back(seg[i]);
    if (i + 1 < seg.size()) p.names.push_back(seg[i + 1]);
  }
  return p;
}

const ResourceKind* kind_of_id(const std::string& id, ArmPath* parsed) {
  auto p = parse_arm_path(id_key(id));
  if (!p || !p->is_item() || p->resource_group.empty()) return nullptr;
  Provider prov;
  if (!provider_from_namespace(p->provider_ns, prov)) return nullptr;
  const ResourceKind* k = find_kind(prov, p->types);
  if (k && parsed) *parsed = *p;
  return k;
}

namespace {
// Stored ids may spell a type segment in the singular (the Batch AI spec's own examples write
// ".../Microsoft.BatchAI/workspace/demo_workspace/..."); the meaning is unambiguous, so such ids are
// keyed as if plural and the resource stays reachable at its canonical path.
const char* plural_of(const std::string& segment) {
  static const char* const pairs[][2] = {{"workspace", "workspaces"},   {"cluster", "clusters"},
                                         {"fileserver", "fileservers"}, {"experiment", "experiments"},
                                         {"job", "jobs"},               {"compute", "computes"},
                                         {"datastore", "datastores"},   {"environment", "environments"},
                                         {"version", "versions"}};
  for (const auto& p : pairs)
    if (segment == p[0]) return p[1];
  return nullptr;
}
}  // namespace

std::string id_key(const std::string& id) {
  std::vector<std::string> seg = split_path(to_lower(id));
  std::string key;
  size_t provider_at = seg.size();
  for (size_t i = 0; i < seg.size(); ++i) {
    if (provider_at == seg.size() && seg[i] == "providers") provider_at = i;
    const bool type_position = provider_at < seg.size() && i >= provider_at + 2 && (i - provider_at) % 2 == 0;
    const char* plural = type_position ? plural_of(seg[i]) : nullptr;
    key += "/" + (plural ? std::string(plural) : seg[i]);
  }
  return key.empty() ? "/" : key;
}

}  // namespace bai2aml::emulator
