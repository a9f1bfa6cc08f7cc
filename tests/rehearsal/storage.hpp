// The one storage both sides see: <sandbox>/storage/<account>/<share or container>/<sub path>. A Batch
// AI mount and an AML input/output are equal when they lead to the same directory here.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "translate/model.hpp"

namespace bai2aml::rehearsal {

struct MountPoint {
  std::string relative_path;  // relativeMountPath under the mount root
  std::string storage_dir;    // where it leads
};

// The mounts of a Batch AI mountVolumes object (cluster nodeSetup or job). File servers lead to the
// share/container config's mapping.file_servers names (the operator's statement that it holds the same
// data), else to a place only Batch AI had; unmanaged file systems likewise.
std::vector<MountPoint> batchai_mounts(const nlohmann::json& mount_volumes, const std::string& storage_root,
                                       const config::Config& cfg);

// The directory an AML `azureml://datastores/<name>/paths/<sub>` URI leads to, through the datastore
// body of that name in the translation; "" when the datastore is not in it.
std::string datastore_dir(const translate::Translation& t, const std::string& workspace_id, const std::string& uri,
                          const std::string& storage_root);

}  // namespace bai2aml::rehearsal
