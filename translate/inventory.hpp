// The Batch AI inventory, parsed from the ARM JSON a GET or LIST returns (API 2018-05-01) into the
// fields migration needs. Unknown fields are ignored; a resource whose fields cannot be read becomes a
// `malformed-resource` finding naming the resource id and the field, and is left out.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "translate/batchai_id.hpp"
#include "translate/model.hpp"

namespace bai2aml::translate {

enum class StorageType { AzureFile, AzureBlob };

// An Azure Files share or Blob container mounted on a cluster's nodes or for one job.
struct StorageMount {
  StorageType type{};
  std::string account;              // storage account name
  std::string container;            // file share (AzureFile) or blob container (AzureBlob)
  std::string endpoint;             // storage endpoint suffix, "core.windows.net" unless the URL says otherwise
  std::string relative_mount_path;  // under $AZ_BATCHAI_MOUNT_ROOT (cluster) or $AZ_BATCHAI_JOB_MOUNT_ROOT (job)
  std::string file_mode, directory_mode;  // Azure Files only; "" = not given (Batch AI's default 0777)
  std::string mount_options;              // blobfuse options (Blob only); "" = none
};

struct FileServerMount {
  std::string file_server_id;
  std::string source_directory;  // "" = the whole export
  std::string relative_mount_path;
};

struct UnmanagedMount {
  std::string mount_command;
  std::string relative_mount_path;
};

struct Mounts {
  std::vector<StorageMount> storage;
  std::vector<FileServerMount> file_servers;
  std::vector<UnmanagedMount> unmanaged;
};

struct ImageReference {
  std::string publisher, offer, sku, version, virtual_machine_image_id;
};

struct BaiWorkspace {
  std::string id;
  SourceId ref;
  std::string location;
  std::vector<std::pair<std::string, std::string>> tags;  // ARM tags, sorted by name
};

struct BaiCluster {
  std::string id;
  SourceId ref;
  std::string vm_size;
  bool low_priority = false;
  bool auto_scale = false;
  int min_nodes = 0, max_nodes = 0;  // autoScale
  int target_nodes = 0;              // manual
  std::string node_deallocation_option;  // manual; "" = not given (requeue)
  int initial_node_count = 0;            // autoScale; 0 = not given
  std::optional<ImageReference> image;
  std::string setup_command;  // "" = no setup task
  std::vector<std::string> setup_secret_names;
  bool performance_counters = false;
  Mounts mounts;
  std::string admin_user_name;
  std::string subnet_id;
};

struct BaiFileServer {
  std::string id;
  SourceId ref;
  std::string vm_size;
  std::string mount_point;
};

struct BaiExperiment {
  std::string id;
  SourceId ref;
};

struct InputDirectory {
  std::string id, path;
};
struct OutputDirectory {
  std::string id, path_prefix, path_suffix;
};
struct EnvVar {
  std::string name, value;
};

struct BaiJob {
  std::string id;
  SourceId ref;
  std::string cluster_id;  // as written (may lack its workspace segment)
  int node_count = 1;
  std::string tool_type;          // cntk, tensorflow, caffe, caffe2, chainer, horovod, mpi, custom
  nlohmann::json tool_settings;   // the toolkit's settings object
  std::string image;              // "" = no container
  std::string image_server_url;
  bool registry_credentials = false;
  std::string shm_size;
  std::string job_preparation;
  std::string std_out_err_path_prefix;  // "" = not given
  std::string scheduling_priority;      // low, normal, high; "" = not given (normal)
  std::vector<InputDirectory> inputs;
  std::vector<OutputDirectory> outputs;
  std::vector<EnvVar> environment_variables;
  std::vector<std::string> secret_names;
  std::string max_wall_clock_time;  // "" = not given
  std::string execution_state;      // queued, running, terminating, succeeded, failed
  Mounts mounts;
};

struct Inventory {
  std::vector<BaiWorkspace> workspaces;  // every vector sorted by lower-cased id
  std::vector<BaiCluster> clusters;
  std::vector<BaiFileServer> file_servers;
  std::vector<BaiExperiment> experiments;
  std::vector<BaiJob> jobs;
  std::vector<Finding> findings;  // malformed, unknown and duplicate resources
};

// Order-independent: resources are sorted by id first; of two with the same id (case-insensitively)
// the one whose JSON text sorts first is kept.
Inventory parse_inventory(const std::vector<nlohmann::json>& resources);

}  // namespace bai2aml::translate
