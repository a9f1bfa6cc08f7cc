#include "reconcile/arm_id.hpp"

#include <vector>

#include "reconcile/text.hpp"

namespace bai2aml::reconcile {
namespace {

std::string lower(const std::string& s) { return ascii_lower(s); }

std::vector<std::string> split_path(const std::string& id) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : id) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

// Segments after ".../providers/Microsoft.MachineLearningServices" (case preserved); the position of
// the provider segment in the full split is returned through provider_at (or -1).
std::vector<std::string> provider_tail(const std::vector<std::string>& parts, long& provider_at) {
  provider_at = -1;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (lower(parts[i]) == "providers" && lower(parts[i + 1]) == "microsoft.machinelearningservices") {
      provider_at = static_cast<long>(i);
      std::vector<std::string> tail;
      for (std::size_t j = i + 2; j < parts.size(); ++j) tail.push_back(parts[j]);
      return tail;
    }
  }
  return {};
}

}  // namespace

std::string id_key(const std::string& id) {
  std::string k = lower(id);
  while (!k.empty() && k.back() == '/') k.pop_back();
  return k;
}

std::optional<translate::Kind> kind_from_id(const std::string& id) {
  long at = -1;
  const auto parts = split_path(id);
  const auto tail = provider_tail(parts, at);
  // The id must start with /subscriptions/S/resourceGroups/G before the provider.
  if (at != 4 || lower(parts[0]) != "subscriptions" || lower(parts[2]) != "resourcegroups") return std::nullopt;
  if (tail.size() < 2 || lower(tail[0]) != "workspaces") return std::nullopt;
  if (tail.size() == 2) return translate::Kind::Workspace;
  const std::string coll = lower(tail[2]);
  if (tail.size() == 4) {
    if (coll == "computes") return translate::Kind::Compute;
    if (coll == "datastores") return translate::Kind::Datastore;
    if (coll == "environments") return translate::Kind::EnvironmentContainer;
    if (coll == "jobs") return translate::Kind::Job;
    return std::nullopt;
  }
  if (tail.size() == 6 && coll == "environments" && lower(tail[4]) == "versions") {
    return translate::Kind::EnvironmentVersion;
  }
  return std::nullopt;
}

std::string workspace_of(const std::string& id) {
  if (!kind_from_id(id)) return "";
  long at = -1;
  const auto parts = split_path(id);
  provider_tail(parts, at);
  std::string out;
  // subscriptions/S/resourceGroups/G/providers/Microsoft.MachineLearningServices/workspaces/W
  for (std::size_t i = 0; i < static_cast<std::size_t>(at) + 4; ++i) out += "/" + parts[i];
  return out;
}

std::string parent_of(const std::string& id) {
  const auto kind = kind_from_id(id);
  if (!kind || *kind == translate::Kind::Workspace) return "";
  const auto parts = split_path(id);
  std::string out;
  for (std::size_t i = 0; i + 2 < parts.size(); ++i) out += "/" + parts[i];
  return out;
}

std::string leaf_name(const std::string& id) {
  const auto parts = split_path(id);
  return parts.empty() ? std::string() : parts.back();
}

const char* kind_label(translate::Kind kind) {
  switch (kind) {
    case translate::Kind::Workspace: return "workspace";
    case translate::Kind::Datastore: return "datastore";
    case translate::Kind::Compute: return "compute";
    case translate::Kind::EnvironmentContainer: return "environment";
    case translate::Kind::EnvironmentVersion: return "environment_version";
    case translate::Kind::Job: return "job";
  }
  return "unknown";
}

}  // namespace bai2aml::reconcile
