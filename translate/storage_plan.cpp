#include "translate/storage_plan.hpp"

#include <cctype>

#include "translate/naming_plan.hpp"

namespace bai2aml::translate {

std::string storage_key(StorageType type, const std::string& account, const std::string& container) {
  return lower(std::string(type == StorageType::AzureFile ? "azurefile:" : "azureblob:") + account + "/" + container);
}

std::string join_path(const std::string& a, const std::string& b) {
  auto trim = [](std::string s) {
    while (!s.empty() && s.front() == '/') s.erase(s.begin());
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
  };
  const std::string x = trim(a), y = trim(b);
  if (x.empty()) return y;
  if (y.empty()) return x;
  return x + "/" + y;
}

MountTable StoragePlan::add_mounts(const Mounts& mounts, const std::string& source_id,
                                   const std::map<std::string, std::string>& file_server_datastore_names) {
  MountTable table;
  for (const StorageMount& m : mounts.storage) {
    const std::string key = storage_key(m.type, m.account, m.container);
    DatastorePlan& d = stores_[key];
    if (d.storage_key.empty()) {
      d.type = m.type;
      d.account = m.account;
      d.container = m.container;
      d.endpoint = m.endpoint;
      d.storage_key = key;
    }
    d.sources.insert(source_id);
    table[join_path(m.relative_mount_path, "")] = {key, "", "storage"};
  }
  for (const FileServerMount& f : mounts.file_servers) {
    const auto it = file_server_datastore_names.find(id_key(f.file_server_id));
    MountTarget t{"", "", "NFS file server " + f.file_server_id};
    if (it != file_server_datastore_names.end()) {
      t.storage_key = it->second;
      t.sub_path = join_path(f.source_directory, "");
      stores_[it->second].sources.insert(source_id);
    }
    table[join_path(f.relative_mount_path, "")] = t;
  }
  for (const UnmanagedMount& u : mounts.unmanaged) {
    table[join_path(u.relative_mount_path, "")] = {"", "", "unmanaged file system (" + u.mount_command + ")"};
  }
  return table;
}

std::string StoragePlan::add_file_server(const std::string& file_server_id, const config::FileServerTarget& target,
                                         const std::pair<std::string, std::string>& name_override) {
  const StorageType type = target.kind == "AzureBlob" ? StorageType::AzureBlob : StorageType::AzureFile;
  const std::string key = storage_key(type, target.account_name, target.name);
  DatastorePlan& d = stores_[key];
  if (d.storage_key.empty()) {
    d.type = type;
    d.account = target.account_name;
    d.container = target.name;
    d.endpoint = "core.windows.net";
    d.storage_key = key;
  }
  d.sources.insert(file_server_id);
  // Two file servers mapped to one share: the override that sorts first wins (order-independent).
  if (!name_override.second.empty() && (d.name_override.empty() || name_override.second < d.name_override)) {
    d.override_path = name_override.first;
    d.name_override = name_override.second;
  }
  return key;
}

void StoragePlan::assign_names(NamePlan& plan) {
  std::vector<NameCandidate> cands;
  for (const auto& [key, d] : stores_) {
    NameCandidate c{key, *d.sources.begin(), lower(d.account + "_" + d.container), "", "", key};
    if (!d.name_override.empty()) {
      c.override_path = d.override_path;
      c.override_name = d.name_override;
    }
    cands.push_back(c);
  }
  std::map<std::string, AssignedName> names;
  translate::assign_names(NameRule::Datastore, "datastore in the AML workspace", cands, names, plan);
  for (auto& [key, d] : stores_) d.name = names[key].name;
}

const DatastorePlan* StoragePlan::find(const std::string& key) const {
  const auto it = stores_.find(key);
  return it == stores_.end() ? nullptr : &it->second;
}

namespace {

// Splits "$VAR/rest", "${VAR}/rest" into (VAR, rest); false when the path starts otherwise.
bool split_variable(const std::string& path, std::string& var, std::string& rest) {
  if (path.empty() || path[0] != '$') return false;
  std::size_t end;
  if (path.size() > 1 && path[1] == '{') {
    end = path.find('}');
    if (end == std::string::npos) return false;
    var = path.substr(2, end - 2);
    rest = path.substr(end + 1);
  } else {
    end = 1;
    while (end < path.size() && (std::isalnum(static_cast<unsigned char>(path[end])) || path[end] == '_')) ++end;
    var = path.substr(1, end - 1);
    rest = path.substr(end);
  }
  return true;
}

}  // namespace

ResolvedPath resolve_path(const std::string& path, const MountTable& cluster_mounts, const MountTable& job_mounts) {
  ResolvedPath r;
  std::string var, rest;
  if (!split_variable(path, var, rest) || (var != "AZ_BATCHAI_MOUNT_ROOT" && var != "AZ_BATCHAI_JOB_MOUNT_ROOT")) {
    r.why = "\"" + path + "\" is not under $AZ_BATCHAI_MOUNT_ROOT or $AZ_BATCHAI_JOB_MOUNT_ROOT";
    return r;
  }
  r.mount_variable = var;
  const MountTable& table = var == "AZ_BATCHAI_MOUNT_ROOT" ? cluster_mounts : job_mounts;
  const std::string rel = join_path(rest, "");
  // The longest relativeMountPath that is a whole-segment prefix of the path wins.
  const MountTarget* best = nullptr;
  std::string best_mount;
  for (const auto& [mount, target] : table) {
    if (rel == mount || (rel.size() > mount.size() && rel.compare(0, mount.size(), mount) == 0 && rel[mount.size()] == '/')) {
      if (!best || mount.size() > best_mount.size()) {
        best = &target;
        best_mount = mount;
      }
    }
  }
  if (!best) {
    r.why = "\"" + path + "\" is under no " + (var == "AZ_BATCHAI_MOUNT_ROOT" ? "cluster" : "job") + " mount";
    return r;
  }
  r.relative_mount_path = best_mount;
  if (best->storage_key.empty()) {
    r.why = "\"" + path + "\" is on an " + best->what + ", which AML cannot mount";
    return r;
  }
  r.storage_key = best->storage_key;
  r.sub_path = join_path(best->sub_path, rel.substr(best_mount.size()));
  return r;
}

std::string datastore_uri(const std::string& datastore_name, const std::string& sub_path) {
  return "azureml://datastores/" + datastore_name + "/paths/" + sub_path;
}

}  // namespace bai2aml::translate
