#include "tests/rehearsal/storage.hpp"

#include <algorithm>
#include <cctype>

#include "tests/rehearsal/json_fields.hpp"

namespace bai2aml::rehearsal {
namespace {

using nlohmann::json;

std::string join(const std::string& a, const std::string& b) {
  std::string tail = b;
  while (!tail.empty() && tail.front() == '/') tail.erase(0, 1);
  while (!tail.empty() && tail.back() == '/') tail.pop_back();
  return tail.empty() ? a : a + "/" + tail;
}

// https://<account>.file.core.windows.net/<share>[/...] -> (account, share)
std::pair<std::string, std::string> file_url(const std::string& url) {
  std::string rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  const std::string host = rest.substr(0, rest.find('/'));
  rest = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/') + 1);
  return {host.substr(0, host.find('.')), rest.substr(0, rest.find('/'))};
}

const config::FileServerTarget* mapped(const config::Config& cfg, const std::string& id) {
  const std::string name = id.substr(id.rfind('/') + 1);
  for (const auto& [key, target] : cfg.mapping.file_servers) {
    if (lower(key) == lower(id) || lower(key) == lower(name)) return &target;
  }
  return nullptr;
}

}  // namespace

std::vector<MountPoint> batchai_mounts(const json& mv, const std::string& storage_root, const config::Config& cfg) {
  std::vector<MountPoint> out;
  if (!mv.is_object()) return out;
  for (const json& s : mv.value("azureFileShares", json::array())) {
    auto [account, share] = file_url(str(s, "azureFileUrl"));
    if (!str(s, "accountName").empty()) account = str(s, "accountName");
    out.push_back({str(s, "relativeMountPath"), storage_root + "/" + lower(account) + "/" + lower(share)});
  }
  for (const json& b : mv.value("azureBlobFileSystems", json::array())) {
    out.push_back({str(b, "relativeMountPath"),
                   storage_root + "/" + lower(str(b, "accountName")) + "/" + lower(str(b, "containerName"))});
  }
  for (const json& f : mv.value("fileServers", json::array())) {
    const std::string id = f.contains("fileServer") ? str(f["fileServer"], "id") : "";
    const config::FileServerTarget* t = mapped(cfg, id);
    const std::string base = t ? storage_root + "/" + lower(t->account_name) + "/" + lower(t->name)
                               : storage_root + "/batchai-file-server/" + lower(id.substr(id.rfind('/') + 1));
    out.push_back({str(f, "relativeMountPath"), join(base, str(f, "sourceDirectory"))});
  }
  for (const json& u : mv.value("unmanagedFileSystems", json::array())) {
    out.push_back({str(u, "relativeMountPath"), storage_root + "/batchai-unmanaged/" + str(u, "relativeMountPath")});
  }
  return out;
}

std::string datastore_dir(const translate::Translation& t, const std::string& workspace_id, const std::string& uri,
                          const std::string& storage_root) {
  const std::string prefix = "azureml://datastores/";
  if (uri.rfind(prefix, 0) != 0) return "";
  const std::string rest = uri.substr(prefix.size());
  const std::string name = rest.substr(0, rest.find('/'));
  const std::string paths = "/paths/";
  const auto p = rest.find(paths);
  const std::string sub = p == std::string::npos ? "" : rest.substr(p + paths.size());
  for (const auto& r : t.resources) {
    if (r.kind != translate::Kind::Datastore || r.id != workspace_id + "/datastores/" + name) continue;
    const json& props = r.body.at("properties");
    const bool file = str(props, "datastoreType") == "AzureFile";
    const std::string container = str(props, file ? "fileShareName" : "containerName");
    return join(storage_root + "/" + lower(str(props, "accountName")) + "/" + lower(container), sub);
  }
  return "";
}

}  // namespace bai2aml::rehearsal
