// The resource types the emulator serves, one table row each: where they live in an ARM path, their
// api-version, and which of their writes are long-running (from the swagger of each provider).
#pragma once

#include <string>
#include <vector>

namespace bai2aml::emulator {

enum class Provider { BatchAI, MachineLearning };

enum class KindId {
  BatchAIWorkspace, BatchAICluster, BatchAIFileServer, BatchAIExperiment, BatchAIJob,
  AmlWorkspace, AmlCompute, AmlDatastore, AmlEnvironmentContainer, AmlEnvironmentVersion, AmlJob
};

struct ResourceKind {
  KindId id;
  Provider provider;
  std::vector<std::string> types;  // canonical spelling of the type segments, e.g. {"workspaces", "clusters"}
  bool long_running;               // PUT and DELETE answer 201/202 and finish after --lro-ms
  bool patchable;                  // the spec defines PATCH
  std::string action;              // the POST action the emulator implements ("terminate", "cancel"), or ""
  std::string arm_type() const;    // e.g. "Microsoft.BatchAI/workspaces/clusters"
};

const char* provider_namespace(Provider p);  // "Microsoft.BatchAI", "Microsoft.MachineLearningServices"
const char* api_version(Provider p);         // "2018-05-01", "2024-04-01"
bool provider_from_namespace(const std::string& ns, Provider& out);  // case-insensitive

// The kind whose type segments equal `types` (case-insensitive), or nullptr.
const ResourceKind* find_kind(Provider p, const std::vector<std::string>& types);
const ResourceKind& kind_info(KindId id);

// provisioningState spelling per provider: Batch AI uses lower case ("creating"), AML Pascal case.
std::string provisioning_state(Provider p, const std::string& pascal);

}  // namespace bai2aml::emulator
