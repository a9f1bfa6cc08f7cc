#include "emulator/resource_kind.hpp"

#include "emulator/http_types.hpp"

namespace bai2aml::emulator {

namespace {
const std::vector<ResourceKind>& kinds() {
  // Batch AI 2018-05-01: every PUT/DELETE (and job terminate) is x-ms-long-running-operation.
  // AML 2024-04-01: workspaces and computes are long-running; datastores, environments and jobs are not
  // (job DELETE may be 202 in the spec; the emulator completes it at once).
  static const std::vector<ResourceKind> table = {
      {KindId::BatchAIWorkspace, Provider::BatchAI, {"workspaces"}, true, true, ""},
      {KindId::BatchAICluster, Provider::BatchAI, {"workspaces", "clusters"}, true, true, ""},
      {KindId::BatchAIFileServer, Provider::BatchAI, {"workspaces", "fileServers"}, true, false, ""},
      {KindId::BatchAIExperiment, Provider::BatchAI, {"workspaces", "experiments"}, true, false, ""},
      {KindId::BatchAIJob, Provider::BatchAI, {"workspaces", "experiments", "jobs"}, true, false, "terminate"},
      {KindId::AmlWorkspace, Provider::MachineLearning, {"workspaces"}, true, true, ""},
      {KindId::AmlCompute, Provider::MachineLearning, {"workspaces", "computes"}, true, true, ""},
      {KindId::AmlDatastore, Provider::MachineLearning, {"workspaces", "datastores"}, false, false, ""},
      {KindId::AmlEnvironmentContainer, Provider::MachineLearning, {"workspaces", "environments"}, false, false, ""},
      {KindId::AmlEnvironmentVersion, Provider::MachineLearning, {"workspaces", "environments", "versions"}, false,
       false, ""},
      {KindId::AmlJob, Provider::MachineLearning, {"workspaces", "jobs"}, false, false, "cancel"},
  };
  return table;
}
}  // namespace

std::string ResourceKind::arm_type() const {
  std::string t = provider_namespace(provider);
  for (const auto& s : types) t += "/" + s;
  return t;
}

const char* provider_namespace(Provider p) {
  return p == Provider::BatchAI ? "Microsoft.BatchAI" : "Microsoft.MachineLearningServices";
}

const char* api_version(Provider p) { return p == Provider::BatchAI ? "2018-05-01" : "2024-04-01"; }

bool provider_from_namespace(const std::string& ns, Provider& out) {
  if (iequals(ns, "Microsoft.BatchAI")) {
    out = Provider::BatchAI;
    return true;
  }
  if (iequals(ns, "Microsoft.MachineLearningServices")) {
    out = Provider::MachineLearning;
    return true;
  }
  return false;
}

const ResourceKind* find_kind(Provider p, const std::vector<std::string>& types) {
  for (const auto& k : kinds()) {
    if (k.provider != p || k.types.size() != types.size()) continue;
    bool same = true;
    for (size_t i = 0; i < types.size() && same; ++i) same = iequals(k.types[i], types[i]);
    if (same) return &k;
  }
  return nullptr;
}

const ResourceKind& kind_info(KindId id) {
  for (const auto& k : kinds())
    if (k.id == id) return k;
  return kinds().front();  // unreachable: every KindId has a row
}

std::string provisioning_state(Provider p, const std::string& pascal) {
  return p == Provider::BatchAI ? to_lower(pascal) : pascal;
}

}  // namespace bai2aml::emulator
