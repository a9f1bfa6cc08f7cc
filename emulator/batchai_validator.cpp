// Batch AI 2018-05-01 write bodies (BatchAI.json: WorkspaceCreateParameters, WorkspaceUpdateParameters,
// ClusterCreateParameters, ClusterUpdateParameters, FileServerCreateParameters, ExperimentCreate (empty),
// JobCreateParameters).
#include "emulator/validators.hpp"

namespace bai2aml::emulator::detail {

namespace {
void check_user_account(BodyChecker& c, const nlohmann::json* parent, const std::string& path) {
  const nlohmann::json* u = c.object(parent, path, "userAccountSettings", true);
  const std::string up = BodyChecker::join(path, "userAccountSettings");
  c.string(u, up, "adminUserName", true, true);
  c.string(u, up, "adminUserSshPublicKey");
  c.string(u, up, "adminUserPassword");
}

void check_scale(BodyChecker& c, const nlohmann::json* parent, const std::string& path, bool required) {
  const nlohmann::json* s = c.object(parent, path, "scaleSettings", required);
  if (!s) return;
  const std::string sp = BodyChecker::join(path, "scaleSettings");
  if (const nlohmann::json* m = c.object(s, sp, "manual")) {
    c.integer(m, sp + ".manual", "targetNodeCount", true, 0);
    c.enumeration(m, sp + ".manual", "nodeDeallocationOption", {"requeue", "terminate", "waitforjobcompletion"});
  }
  if (const nlohmann::json* a = c.object(s, sp, "autoScale")) {
    const nlohmann::json* min = c.integer(a, sp + ".autoScale", "minimumNodeCount", true, 0);
    const nlohmann::json* max = c.integer(a, sp + ".autoScale", "maximumNodeCount", true, 0);
    c.integer(a, sp + ".autoScale", "initialNodeCount", false, 0);
    if (c.ok() && min && max && min->get<long long>() > max->get<long long>())
      c.fail(kInvalidParameter, "Property '" + sp + ".autoScale.minimumNodeCount' exceeds maximumNodeCount.");
  }
}

void check_resource_id(BodyChecker& c, const nlohmann::json* parent, const std::string& path, const char* key,
                       bool required) {
  if (const nlohmann::json* r = c.object(parent, path, key, required)) c.string(r, BodyChecker::join(path, key), "id", true, true);
}
}  // namespace

Validation validate_batchai_put(KindId kind, const nlohmann::json& body) {
  BodyChecker c;
  switch (kind) {
    case KindId::BatchAIWorkspace:
      c.string(&body, "", "location", true, true);
      c.string_map(&body, "", "tags");
      break;
    case KindId::BatchAIExperiment:
      break;  // the create body is empty
    case KindId::BatchAICluster: {
      const nlohmann::json* p = c.object(&body, "", "properties", true);
      c.string(p, "properties", "vmSize", true, true);
      c.enumeration(p, "properties", "vmPriority", {"dedicated", "lowpriority"});
      check_scale(c, p, "properties", false);
      check_user_account(c, p, "properties");
      check_resource_id(c, p, "properties", "subnet", false);
      c.object(p, "properties", "virtualMachineConfiguration");
      c.object(p, "properties", "nodeSetup");
      break;
    }
    case KindId::BatchAIFileServer: {
      const nlohmann::json* p = c.object(&body, "", "properties", true);
      c.string(p, "properties", "vmSize", true, true);
      const nlohmann::json* ssh = c.object(p, "properties", "sshConfiguration", true);
      check_user_account(c, ssh, "properties.sshConfiguration");
      const nlohmann::json* d = c.object(p, "properties", "dataDisks", true);
      c.integer(d, "properties.dataDisks", "diskSizeInGB", true, 1);
      c.integer(d, "properties.dataDisks", "diskCount", true, 1);
      c.enumeration(d, "properties.dataDisks", "storageAccountType", {"Standard_LRS", "Premium_LRS"}, true);
      c.enumeration(d, "properties.dataDisks", "cachingType", {"none", "readonly", "readwrite"});
      check_resource_id(c, p, "properties", "subnet", false);
      break;
    }
    case KindId::BatchAIJob: {
      const nlohmann::json* p = c.object(&body, "", "properties", true);
      c.enumeration(p, "properties", "schedulingPriority", {"low", "normal", "high"});
      check_resource_id(c, p, "properties", "cluster", true);
      c.integer(p, "properties", "nodeCount", true, 1);
      c.string(p, "properties", "stdOutErrPathPrefix", true, true);
      c.object(p, "properties", "mountVolumes");
      c.object(p, "properties", "containerSettings");
      c.object(p, "properties", "constraints");
      break;
    }
    default:
      break;
  }
  return c.result();
}

Validation validate_batchai_patch(KindId kind, const nlohmann::json& body) {
  BodyChecker c;
  if (kind == KindId::BatchAIWorkspace) {
    c.only_keys(&body, "", {"tags"});
    c.string_map(&body, "", "tags");
  } else if (kind == KindId::BatchAICluster) {
    c.only_keys(&body, "", {"properties"});
    const nlohmann::json* p = c.object(&body, "", "properties", true);
    c.only_keys(p, "properties", {"scaleSettings"});
    check_scale(c, p, "properties", true);
  } else {
    c.fail("MethodNotAllowed", "This resource type does not support PATCH.", 405);
  }
  return c.result();
}

}  // namespace bai2aml::emulator::detail
