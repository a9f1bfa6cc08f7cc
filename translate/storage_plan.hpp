// Datastores of one AML workspace: every Azure Files share and Blob container mounted by a cluster
// or a job of the Batch AI workspace (and every file server the config maps to one) becomes one
// datastore per distinct type+account+share/container; and the resolution of a Batch AI path
// ($AZ_BATCHAI_MOUNT_ROOT/<relativeMountPath>/...) to a datastore URI.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "translate/inventory.hpp"
#include "translate/naming_plan.hpp"

namespace bai2aml::translate {

struct DatastorePlan {
  StorageType type{};
  std::string account, container, endpoint;
  std::string storage_key;  // "azurefile:<account>/<share>", lower case: the dedup key
  std::set<std::string> sources;  // Batch AI ids that mount it (sorted); the first is its source_id
  std::string name;               // assigned by StoragePlan::assign_names()
  std::string override_path;      // mapping.names["<file server>"], when one names it
  std::string name_override;
};

std::string storage_key(StorageType type, const std::string& account, const std::string& container);

// Where a mount point leads: a datastore (with a sub-path) or nowhere AML can reach.
struct MountTarget {
  std::string storage_key;  // "" = not reachable (NFS file server, unmanaged file system)
  std::string sub_path;     // inside the datastore, no leading or trailing '/'
  std::string what;         // for messages: "file server <id>", "unmanaged file system", ...
};

// relativeMountPath -> target, for one set of mounts (a cluster's or a job's).
using MountTable = std::map<std::string, MountTarget>;

class StoragePlan {
 public:
  // Registers the mounts (source_id mounts them) and returns their table. File server mounts lead
  // to the datastore mapping.file_servers names, if any.
  MountTable add_mounts(const Mounts& mounts, const std::string& source_id,
                        const std::map<std::string, std::string>& file_server_datastore_names);
  // A mapped file server's own datastore (its target share or container).
  // `name_override`: (config path, name), or empty strings.
  std::string add_file_server(const std::string& file_server_id, const config::FileServerTarget& target,
                              const std::pair<std::string, std::string>& name_override);

  // Names every datastore (collisions get the hash of the storage key). Call once, after all adds.
  void assign_names(NamePlan& plan);

  const std::map<std::string, DatastorePlan>& datastores() const { return stores_; }
  const DatastorePlan* find(const std::string& key) const;

 private:
  std::map<std::string, DatastorePlan> stores_;  // by storage key
};

// A path as Batch AI wrote it, resolved against a cluster's and a job's mount tables.
struct ResolvedPath {
  std::string storage_key;  // "" = unresolved (see why)
  std::string sub_path;
  std::string mount_variable;  // "AZ_BATCHAI_MOUNT_ROOT" or "AZ_BATCHAI_JOB_MOUNT_ROOT"
  std::string relative_mount_path;
  std::string why;
};

ResolvedPath resolve_path(const std::string& path, const MountTable& cluster_mounts, const MountTable& job_mounts);

// "azureml://datastores/<name>/paths/<sub_path>"
std::string datastore_uri(const std::string& datastore_name, const std::string& sub_path);

std::string join_path(const std::string& a, const std::string& b);

}  // namespace bai2aml::translate
