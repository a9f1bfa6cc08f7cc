// Builders for Batch AI resources (API 2018-05-01 shapes) and lookups into a Translation, shared by
// the translate tests.
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "tests/support/support.hpp"
#include "translate/model.hpp"

namespace bai2aml::translate::test {

using nlohmann::json;

inline const std::string kSub = "00000000-0000-0000-0000-000000000001";

inline config::Config test_config() {
  config::Config c;
  c.source.subscription_id = kSub;
  c.target.subscription_id = "11111111-1111-1111-1111-111111111111";
  c.target.resource_group = "aml-rg";
  c.target.location = "eastus";
  const std::string deps = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/aml-rg/providers/";
  c.target.workspace_dependencies.storage_account = deps + "Microsoft.Storage/storageAccounts/amlstore";
  c.target.workspace_dependencies.key_vault = deps + "Microsoft.KeyVault/vaults/aml-kv";
  c.target.workspace_dependencies.application_insights = deps + "Microsoft.Insights/components/aml-ai";
  return c;
}

inline std::string aml_ws(const std::string& name) {
  return "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/aml-rg/providers/"
         "Microsoft.MachineLearningServices/workspaces/" + name;
}

inline std::string ws_id(const std::string& ws, const std::string& rg = "rg") {
  return "/subscriptions/" + kSub + "/resourceGroups/" + rg + "/providers/Microsoft.BatchAI/workspaces/" + ws;
}

inline json workspace(const std::string& ws, const std::string& rg = "rg") {
  return {{"id", ws_id(ws, rg)}, {"name", ws}, {"type", "Microsoft.BatchAI/workspaces"}, {"location", "eastus"},
          {"properties", {{"provisioningState", "succeeded"}}}};
}

inline json file_share(const std::string& account, const std::string& share, const std::string& rel) {
  return {{"accountName", account},
          {"azureFileUrl", "https://" + account + ".file.core.windows.net/" + share},
          {"credentials", json::object()},
          {"relativeMountPath", rel}};
}

inline json blob(const std::string& account, const std::string& container, const std::string& rel) {
  return {{"accountName", account}, {"containerName", container}, {"credentials", json::object()}, {"relativeMountPath", rel}};
}

// A manual-scale dedicated cluster; `props` is merged over the defaults (merge_patch).
inline json cluster(const std::string& ws, const std::string& name, const json& props = json::object(),
                    const std::string& rg = "rg") {
  json p = {{"vmSize", "STANDARD_NC6"},
            {"vmPriority", "dedicated"},
            {"scaleSettings", {{"manual", {{"targetNodeCount", 2}}}}},
            {"userAccountSettings", {{"adminUserName", "admin"}}},
            {"nodeSetup", {{"mountVolumes", {{"azureFileShares", json::array({file_share("acct", "share", "data")})}}}}}};
  if (props.is_object()) p.merge_patch(props);  // ({} converts to null, which merge_patch would apply)
  return {{"id", ws_id(ws, rg) + "/clusters/" + name}, {"name", name}, {"type", "Microsoft.BatchAI/workspaces/clusters"},
          {"properties", p}};
}

inline json experiment(const std::string& ws, const std::string& name, const std::string& rg = "rg") {
  return {{"id", ws_id(ws, rg) + "/experiments/" + name}, {"name", name}, {"type", "Microsoft.BatchAI/workspaces/experiments"},
          {"properties", {{"provisioningState", "succeeded"}}}};
}

// A queued custom-toolkit job on `cluster_name`; `props` is merged over the defaults.
inline json job(const std::string& ws, const std::string& exp, const std::string& name, const std::string& cluster_name,
                const json& props = json::object(), const std::string& rg = "rg") {
  json p = {{"cluster", {{"id", ws_id(ws, rg) + "/clusters/" + cluster_name}}},
            {"nodeCount", 1},
            {"toolType", "custom"},
            {"customToolkitSettings", {{"commandLine", "echo hi"}}},
            {"stdOutErrPathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/data"},
            {"containerSettings", {{"imageSourceRegistry", {{"image", "ubuntu"}}}}},
            {"executionState", "queued"}};
  if (props.is_object()) p.merge_patch(props);
  return {{"id", ws_id(ws, rg) + "/experiments/" + exp + "/jobs/" + name}, {"name", name},
          {"type", "Microsoft.BatchAI/workspaces/experiments/jobs"}, {"properties", p}};
}

// The toolkit's part of a migrated job's command: what follows the prologue and job preparation.
inline std::string toolkit_part(const json& props) {
  const std::string c = props.at("command").get<std::string>();
  const std::string marker = "# the job's command, as Batch AI ran it\n";
  const auto p = c.find(marker);
  return p == std::string::npos ? c : c.substr(p + marker.size());
}

inline const DesiredResource* find_resource(const Translation& t, Kind kind, const std::string& id_suffix) {
  for (const auto& r : t.resources) {
    if (r.kind == kind && r.id.size() >= id_suffix.size() &&
        r.id.compare(r.id.size() - id_suffix.size(), id_suffix.size(), id_suffix) == 0) {
      return &r;
    }
  }
  return nullptr;
}

inline std::vector<const DesiredResource*> of_kind(const Translation& t, Kind kind) {
  std::vector<const DesiredResource*> out;
  for (const auto& r : t.resources) {
    if (r.kind == kind) out.push_back(&r);
  }
  return out;
}

inline const DesiredResource* source_resource(const Translation& t, Kind kind, const std::string& source_id) {
  for (const auto& r : t.resources) {
    if (r.kind == kind && r.source_id == source_id) return &r;
  }
  return nullptr;
}

inline std::vector<Finding> findings(const Translation& t, const std::string& code, const std::string& source_id = "") {
  std::vector<Finding> out;
  for (const auto& f : t.findings) {
    if (f.code == code && (source_id.empty() || f.source_id == source_id)) out.push_back(f);
  }
  return out;
}

// Everything a Translation holds, as one string (to search for values that must not leak).
inline std::string translation_dump(const Translation& t) {
  std::string out;
  for (const auto& r : t.resources) out += r.id + r.source_id + r.body.dump() + "\n";
  for (const auto& f : t.findings) out += f.code + f.source_id + f.message + f.remedy + "\n";
  for (const auto& n : t.names) out += n.source_id + n.target_id + n.reason + "\n";
  return out;
}

inline std::vector<json> load_resources(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return json::parse(in).at("resources").get<std::vector<json>>();
}

inline std::vector<json> sample_inventory() {
  return load_resources(bai2aml::testing::source_dir() + "/config/sample-inventory.json");
}

// The sample's companion config: storage key and SSH for one cluster, the file server mapped.
inline config::Config sample_config() {
  config::Config c = test_config();
  c.mapping.storage_keys["researchdata"] = "/run/credentials/bai2aml/researchdata.key";
  config::SshCredentials ssh;
  ssh.admin_user_name = "amladmin";
  ssh.public_key_file = "/run/credentials/bai2aml/admin.pub";
  c.mapping.ssh["gpu-lowpri"] = ssh;
  c.mapping.file_servers["nfs-data"] = config::FileServerTarget{"AzureFile", "researchdata", "nfs-data-copy"};
  return c;
}

}  // namespace bai2aml::translate::test
