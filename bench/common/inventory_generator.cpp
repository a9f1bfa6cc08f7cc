#include "bench/common/inventory_generator.hpp"

#include <algorithm>
#include <functional>

namespace bai2aml::bench {
namespace {

using nlohmann::json;

// splitmix64: tiny, fast, and the same on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }

 private:
  std::uint64_t s_;
};

const char* const kClusterNames[] = {"gpu-cluster", "GPU_Cluster_Large", "cpu", "nc6-pool-01",
                                     "a_very_long_cluster_name_for_distributed_training_2018", "k80", "p100-lowpri",
                                     "Dev.Cluster"};
const char* const kVmSizes[] = {"STANDARD_NC6", "STANDARD_NC12", "STANDARD_NC24", "STANDARD_D4_V2", "STANDARD_NC6s_v2"};
const char* const kImages[] = {"tensorflow/tensorflow:1.8.0-gpu-py3", "pytorch/pytorch:0.4_cuda9_cudnn7",
                               "uber/horovod:0.13.4-tf1.8.0-torch0.4.0-py3.5", "microsoft/cntk:2.5.1-gpu-python3.5-cuda9.0-cudnn7.0",
                               "chainer/chainer:v4.2.0-python3", "bvlc/caffe:gpu", "caffe2ai/caffe2:latest", ""};
const char* const kStates[] = {"queued", "queued", "queued", "running", "succeeded", "failed", "terminating"};
const char* const kTools[] = {"tensorflow", "pytorch", "horovod", "mpi", "custom", "cntk", "caffe", "caffe2", "chainer"};

std::string secret(Rng& r, const char* what) {
  return std::string(kSecretMarker) + what + "-" + std::to_string(r.next() % 1000000000ULL);
}

json toolkit_settings(const std::string& tool, Rng& r) {
  const std::string script = "$AZ_BATCHAI_MOUNT_ROOT/data/scripts/train" + std::to_string(r.below(50)) + ".py";
  if (tool == "tensorflow") {
    json s = {{"pythonScriptFilePath", script}, {"masterCommandLineArgs", "--data $AZ_BATCHAI_INPUT_DATA"}};
    if (r.chance(50)) {
      s["workerCommandLineArgs"] = "--role worker --data $AZ_BATCHAI_INPUT_DATA";
      s["parameterServerCommandLineArgs"] = "--role ps";
      s["workerCount"] = 1 + r.below(4);
      s["parameterServerCount"] = 1;
    }
    return s;
  }
  if (tool == "custom") return {{"commandLine", "bash $AZ_BATCHAI_MOUNT_ROOT/data/run.sh --out $AZ_BATCHAI_OUTPUT_MODEL"}};
  if (tool == "mpi") return {{"commandLine", "python $AZ_BATCHAI_MOUNT_ROOT/data/mpi.py"}, {"processCount", 1 + r.below(8)}};
  if (tool == "cntk" && r.chance(50)) {
    return {{"languageType", "BrainScript"}, {"configFilePath", "$AZ_BATCHAI_MOUNT_ROOT/data/cfg.cntk"}};
  }
  if (tool == "caffe" && r.chance(50)) return {{"configFilePath", "$AZ_BATCHAI_MOUNT_ROOT/data/solver.prototxt"}};
  json s = {{"pythonScriptFilePath", script}, {"commandLineArgs", "--epochs " + std::to_string(1 + r.below(100))}};
  if (tool != "caffe2" && r.chance(50)) s["processCount"] = 1 + r.below(8);
  return s;
}

}  // namespace

std::vector<json> generate_inventory(const GeneratorOptions& o) {
  Rng r(o.seed);
  std::vector<json> out;
  out.reserve(o.resources + 64);
  const std::string sub = "/subscriptions/" + o.subscription;
  // A workspace holds ~60 resources: 1 workspace, 6 clusters, 1 file server, 4 experiments, ~48 jobs.
  const std::size_t per_ws = 60;
  const std::size_t n_ws = std::max<std::size_t>(1, (o.resources + per_ws - 1) / per_ws);
  for (std::size_t w = 0; w < n_ws && out.size() < o.resources; ++w) {
    const std::string rg = "rg-" + std::to_string(w % 7);
    const std::string ws_name = (w % 5 == 0 ? "Team_Workspace_" : "ws-") + std::to_string(w);
    const std::string ws_id = sub + "/resourceGroups/" + rg + "/providers/Microsoft.BatchAI/workspaces/" + ws_name;
    out.push_back({{"id", ws_id}, {"name", ws_name}, {"type", "Microsoft.BatchAI/workspaces"}, {"location", o.location},
                   {"properties", {{"provisioningState", "succeeded"}, {"creationTime", "2018-06-01T00:00:00Z"}}}});
    const std::string fs_id = ws_id + "/fileServers/nfs" + std::to_string(w);
    out.push_back({{"id", fs_id}, {"name", "nfs" + std::to_string(w)}, {"type", "Microsoft.BatchAI/workspaces/fileServers"},
                   {"properties", {{"vmSize", "STANDARD_D2_V2"},
                                   {"sshConfiguration", {{"userAccountSettings", {{"adminUserName", "nfsadmin"},
                                                                                  {"adminUserPassword", secret(r, "fspw")}}}}},
                                   {"dataDisks", {{"diskSizeInGB", 100}, {"diskCount", 2}, {"storageAccountType", "Standard_LRS"}}},
                                   {"mountSettings", {{"mountPoint", "/mnt/data"}}}}}});
    std::vector<std::string> clusters;
    for (int c = 0; c < 6; ++c) {
      const std::string name = std::string(kClusterNames[(w + static_cast<std::size_t>(c)) % 8]) + (c >= 4 ? std::to_string(c) : "");
      const std::string id = ws_id + "/clusters/" + name;
      clusters.push_back(id);
      const std::string account = "acct" + std::to_string(w % 3);
      json file_share = {{"accountName", account},
                         {"azureFileUrl", "https://" + account + ".file.core.windows.net/share" + std::to_string(c % 2)},
                         {"credentials", {{"accountKey", secret(r, "key")}}},
                         {"relativeMountPath", "data"}};
      json mounts = {{"azureFileShares", json::array({file_share})}};
      if (c % 2 == 0) {
        mounts["azureBlobFileSystems"] = json::array({{{"accountName", account},
                                                       {"containerName", "models"},
                                                       {"credentials", {{"accountKey", secret(r, "key")}}},
                                                       {"relativeMountPath", "models"}}});
      }
      if (c == 5) {
        mounts["fileServers"] = json::array({{{"fileServer", {{"id", fs_id}}}, {"relativeMountPath", "nfs"}}});
      }
      json node_setup = {{"mountVolumes", mounts}};
      if (c == 3) {
        node_setup["setupTask"] = {{"commandLine", "pip install -r $AZ_BATCHAI_MOUNT_ROOT/data/req.txt"},
                                   {"stdOutErrPathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/data"},
                                   {"secrets", json::array({{{"name", "PIP_TOKEN"}, {"value", secret(r, "pip")}}})}};
      }
      json scale = c % 2 ? json{{"autoScale", {{"minimumNodeCount", 0}, {"maximumNodeCount", 2 + r.below(10)}}}}
                         : json{{"manual", {{"targetNodeCount", r.below(8)}}}};
      json props = {{"vmSize", kVmSizes[r.below(5)]},
                    {"vmPriority", c % 3 == 1 ? "lowpriority" : "dedicated"},
                    {"scaleSettings", scale},
                    {"userAccountSettings", {{"adminUserName", "admin"},
                                             {"adminUserPassword", secret(r, "pw")},
                                             {"adminUserSshPublicKey", secret(r, "ssh")}}},
                    {"nodeSetup", node_setup}};
      if (c == 4) {
        props["virtualMachineConfiguration"] = {
            {"imageReference", {{"publisher", "microsoft-ads"}, {"offer", "linux-data-science-vm-ubuntu"}, {"sku", "linuxdsvmubuntu"}}}};
      }
      out.push_back({{"id", id}, {"name", name}, {"type", "Microsoft.BatchAI/workspaces/clusters"}, {"location", o.location},
                     {"properties", props}});
    }
    for (int e = 0; e < 4 && out.size() < o.resources; ++e) {
      const std::string exp = "exp_" + std::to_string(e);
      const std::string exp_id = ws_id + "/experiments/" + exp;
      out.push_back({{"id", exp_id}, {"name", exp}, {"type", "Microsoft.BatchAI/workspaces/experiments"},
                     {"properties", {{"provisioningState", "succeeded"}}}});
      for (int k = 0; k < 12 && out.size() < o.resources; ++k) {
        const std::string tool = kTools[r.below(9)];
        const std::string name = (k % 4 == 0 ? "Job." : "job-") + std::to_string(k);
        const std::string image = kImages[r.below(8)];
        json props = {{"cluster", {{"id", clusters[static_cast<std::size_t>(r.below(6))]}}},
                      {"nodeCount", 1 + r.below(4)},
                      {"toolType", tool},
                      {"stdOutErrPathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/data/logs"},
                      {"executionState", kStates[r.below(7)]},
                      {"inputDirectories", json::array({{{"id", "DATA"}, {"path", "$AZ_BATCHAI_MOUNT_ROOT/data/input"}}})},
                      {"outputDirectories", json::array({{{"id", "MODEL"}, {"pathPrefix", "$AZ_BATCHAI_MOUNT_ROOT/data"},
                                                          {"pathSuffix", "model"}}})},
                      {"environmentVariables", json::array({{{"name", "EPOCHS"}, {"value", "10"}}})},
                      {"secrets", json::array({{{"name", "DB_PASSWORD"}, {"value", secret(r, "env")}}})},
                      {"constraints", {{"maxWallClockTime", k % 3 ? "P1D" : "7.00:00:00"}}}};
        static const std::pair<const char*, const char*> keys[] = {
            {"tensorflow", "tensorFlowSettings"}, {"pytorch", "pyTorchSettings"}, {"horovod", "horovodSettings"},
            {"mpi", "customMpiSettings"},          {"custom", "customToolkitSettings"}, {"cntk", "cntkSettings"},
            {"caffe", "caffeSettings"},            {"caffe2", "caffe2Settings"},      {"chainer", "chainerSettings"}};
        for (const auto& [t, key] : keys) {
          if (tool == t) props[key] = toolkit_settings(tool, r);
        }
        if (!image.empty()) {
          json reg = {{"image", image}};
          if (r.chance(20)) reg["credentials"] = {{"username", "puller"}, {"password", secret(r, "reg")}};
          props["containerSettings"] = {{"imageSourceRegistry", reg}};
        }
        if (r.chance(15)) props["jobPreparation"] = {{"commandLine", "apt-get install -y libgl1"}};
        out.push_back({{"id", exp_id + "/jobs/" + name}, {"name", name}, {"type", "Microsoft.BatchAI/workspaces/experiments/jobs"},
                       {"properties", props}});
      }
    }
  }
  if (!o.include_secrets) {
    // What a GET returns: the service never reports secret values.
    std::function<void(json&, bool)> strip = [&](json& j, bool in_secrets) {
      if (j.is_array()) {
        for (auto& e : j) {
          if (in_secrets && e.is_object()) e.erase("value");
          strip(e, false);
        }
      } else if (j.is_object()) {
        for (const char* k : {"accountKey", "adminUserPassword", "adminUserSshPublicKey", "password"}) j.erase(k);
        for (auto it = j.begin(); it != j.end(); ++it) strip(it.value(), it.key() == "secrets");
      }
    };
    for (auto& res : out) strip(res, false);
  }
  return out;
}

json generate_seed(const GeneratorOptions& options) { return {{"resources", generate_inventory(options)}}; }

}  // namespace bai2aml::bench
