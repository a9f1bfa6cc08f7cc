#include "azure/inventory.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "config/batchai_id.hpp"
#include "config/untrusted_json.hpp"

namespace bai2aml::azure {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

const char* to_string(SourceUnavailable::Reason reason) {
  switch (reason) {
    case SourceUnavailable::Reason::Network: return "network";
    case SourceUnavailable::Reason::Unauthorized: return "unauthorized";
    case SourceUnavailable::Reason::Retired: return "retired";
    case SourceUnavailable::Reason::InvalidResponse: return "invalid-response";
    case SourceUnavailable::Reason::InvalidFile: return "invalid-file";
    case SourceUnavailable::Reason::Other: return "other";
  }
  return "other";
}

Result<Inventory, SourceUnavailable> load_inventory_file(const std::string& path, const config::Source& source) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  auto inventory = parse_inventory(in ? std::optional<std::string>(ss.str()) : std::nullopt, path, source);
  if (!inventory) return inventory;
  // A snapshot is as old as its file: its modification time stands for the time it was fetched.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) inventory.value().fetched_at = std::chrono::system_clock::from_time_t(st.st_mtime);
  return inventory;
}

Result<Inventory, SourceUnavailable> parse_inventory(const std::optional<std::string>& text, const std::string& path,
                                                     const config::Source& source) {
  const auto fail = [&path](const std::string& why) -> Result<Inventory, SourceUnavailable> {
    SourceUnavailable e;
    e.reason = SourceUnavailable::Reason::InvalidFile;
    e.message = "inventory file " + path + ": " + why;
    e.cause.code = "InvalidInventoryFile";
    e.cause.message = e.message;
    return e;
  };
  if (!text) return fail("cannot be read");
  auto document = config::parse_untrusted_json(*text);
  if (!document.ok()) return fail("not valid JSON: " + document.error);
  nlohmann::json doc = std::move(document.value);
  if (!doc.is_object() || !doc.contains("resources") || !doc["resources"].is_array()) {
    return fail("expected an object with a \"resources\" array");
  }
  std::vector<std::string> groups;
  for (const auto& g : source.resource_groups) groups.push_back(lower(g));
  const auto subscription = lower(source.subscription_id);

  std::vector<std::pair<int, nlohmann::json>> kept;  // (kind order, resource)
  const auto& resources = doc["resources"];
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const auto& r = resources[i];
    const std::string where = "resources[" + std::to_string(i) + "]";
    if (!r.is_object()) return fail(where + ": not a JSON object");
    if (!r.contains("id") || !r["id"].is_string() || r["id"].get<std::string>().empty()) {
      return fail(where + ": missing \"id\" string");
    }
    const auto id = r["id"].get<std::string>();
    const std::string entry = where + " (id " + id + ")";
    const auto segs = config::arm_id_segments(id);
    if (id[0] != '/' || segs.size() < 2 || lower(segs[0]) != "subscriptions") {
      return fail(entry + ": \"id\" is not an ARM resource id (/subscriptions/...)");
    }
    if (!r.contains("name") || !r["name"].is_string()) return fail(entry + ": missing \"name\" string");
    if (r["name"].get<std::string>() != segs.back()) {
      return fail(entry + ": \"name\" \"" + r["name"].get<std::string>() + "\" differs from the id's last segment");
    }
    if (r.contains("properties") && !r["properties"].is_object()) return fail(entry + ": \"properties\" is not an object");
    if (lower(id).find("/providers/microsoft.batchai/") == std::string::npos) continue;  // AML or other seeds
    const auto parsed = config::parse_batchai_id(id);
    // Stricter than the translation: a seed file spells ids as ARM lists them, under their workspace.
    if (parsed.kind == config::SourceKind::Unknown || parsed.workspace.empty()) {
      return fail(entry + ": not a Batch AI workspace, cluster, file server, experiment or job id");
    }
    if (!subscription.empty() && lower(parsed.subscription) != subscription) continue;
    if (!groups.empty() && std::find(groups.begin(), groups.end(), lower(parsed.resource_group)) == groups.end()) continue;
    kept.emplace_back(static_cast<int>(parsed.kind), r);  // SourceKind orders parents before children
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Inventory inventory;
  inventory.fetched_at = std::chrono::system_clock::now();
  for (auto& [kind, r] : kept) inventory.resources.push_back(std::move(r));
  return inventory;
}

}  // namespace bai2aml::azure
