// Desired and observed AML bodies for the reconcile tests, shaped as the 2024-04-01 spec's
// examples (the observed ones carry the server-populated noise a real GET returns).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reconcile/observed.hpp"
#include "translate/model.hpp"
#include "translate/secret_ref.hpp"

namespace bai2aml::reconcile::fixtures {

using nlohmann::json;
using translate::Kind;

inline const std::string kRg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-aml";
inline const std::string kWs = kRg + "/providers/Microsoft.MachineLearningServices/workspaces/ws1";
inline const std::string kCompute = kWs + "/computes/gpu-cluster";
inline const std::string kDatastore = kWs + "/datastores/share1";
inline const std::string kEnv = kWs + "/environments/tf-env";
inline const std::string kEnvVersion = kEnv + "/versions/1";
inline const std::string kJob = kWs + "/jobs/job-1";
inline const std::string kSource = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/w";

inline json owned_tags(const std::string& source = kSource) {
  return {{"managed-by", "bai2aml"}, {"bai2aml-source", source}};
}

inline json desired_workspace_body() {
  return {{"location", "eastus"},
          {"tags", owned_tags()},
          {"identity", {{"type", "SystemAssigned"}}},
          {"properties",
           {{"friendlyName", "ws1"},
            {"storageAccount", kRg + "/providers/Microsoft.Storage/storageAccounts/st1"},
            {"keyVault", kRg + "/providers/Microsoft.KeyVault/vaults/kv1"},
            {"applicationInsights", kRg + "/providers/microsoft.insights/components/ai1"}}}};
}

inline json desired_compute_body() {
  return {{"location", "eastus"},
          {"tags", owned_tags(kSource + "/clusters/c1")},
          {"properties",
           {{"computeType", "AmlCompute"},
            {"properties",
             {{"vmSize", "Standard_NC6"},
              {"vmPriority", "Dedicated"},
              {"scaleSettings", {{"minNodeCount", 0}, {"maxNodeCount", 4}, {"nodeIdleTimeBeforeScaleDown", "PT120S"}}},
              {"subnet", {{"id", kRg + "/providers/Microsoft.Network/virtualNetworks/vn/subnets/default"}}},
              {"userAccountCredentials",
               {{"adminUserName", "azureuser"},
                {"adminUserPassword", translate::secret_file_ref("/run/credentials/ssh-password")}}},
              {"remoteLoginPortPublicAccess", "Enabled"}}}}}};
}

inline json desired_datastore_body() {
  return {{"properties",
           {{"tags", owned_tags(kSource + "/clusters/c1")},
            {"datastoreType", "AzureFile"},
            {"accountName", "st1"},
            {"fileShareName", "share1"},
            {"credentials",
             {{"credentialsType", "AccountKey"},
              {"secrets", {{"secretsType", "AccountKey"}, {"key", translate::secret_file_ref("/run/credentials/st1")}}}}}}}};
}

inline json desired_environment_body() {
  return {{"properties", {{"tags", owned_tags(kSource + "/jobs/j")}, {"description", "image of job j"}}}};
}

inline json desired_environment_version_body() {
  return {{"properties", {{"tags", owned_tags(kSource + "/jobs/j")}, {"image", "tensorflow/tensorflow:1.12.0-gpu"}}}};
}

inline json desired_job_body() {
  return {{"properties",
           {{"tags", owned_tags(kSource + "/jobs/j")},
            {"jobType", "Command"},
            {"experimentName", "exp1"},
            {"command", "python train.py"},
            {"computeId", kCompute},
            {"environmentId", kEnvVersion},
            {"resources", {{"instanceCount", 2}}},
            {"limits", {{"jobLimitsType", "Command"}, {"timeout", "PT1H"}}}}}};
}

inline translate::DesiredResource desired(Kind kind, const std::string& id, json body,
                                          std::vector<std::string> depends_on = {}) {
  // The source is the one the body is tagged with (as translate tags what it derives).
  const json* holder = kind == Kind::Workspace || kind == Kind::Compute ? &body : body.contains("properties") ? &body["properties"] : nullptr;
  std::string source = kSource;
  if (holder && holder->contains("tags") && (*holder)["tags"].is_object())
    source = (*holder)["tags"].value("bai2aml-source", kSource);
  return translate::DesiredResource{kind, id, source, std::move(body), std::move(depends_on)};
}

// What a GET returns for a resource created from `body`: envelope fields, read-only state,
// server defaults, secrets stripped, and the given value variations.
inline json as_served(Kind kind, const std::string& id, json body) {
  json out = body;
  out["id"] = id;
  out["name"] = id.substr(id.rfind('/') + 1);
  out["type"] = "Microsoft.MachineLearningServices/whatever";
  out["systemData"] = {{"createdAt", "2024-05-01T00:00:00Z"}, {"createdBy", "someone"}};
  auto& p = out["properties"];
  switch (kind) {
    case Kind::Workspace:
      out["location"] = "East US";
      p["provisioningState"] = "Succeeded";
      p["discoveryUrl"] = "https://eastus.api.azureml.ms/discovery";
      p["workspaceId"] = "7c3f2a1e-0000-0000-0000-000000000000";
      p["storageAccount"] = "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/resourcegroups/RG-AML/providers/"
                            "Microsoft.Storage/storageAccounts/st1";
      out["identity"]["principalId"] = "p";
      out["identity"]["tenantId"] = "t";
      out["identity"]["type"] = "systemassigned";
      break;
    case Kind::Compute: {
      p["provisioningState"] = "Succeeded";
      p["createdOn"] = "2024-05-01T00:00:00.000+00:00";
      p["modifiedOn"] = "2024-05-01T00:00:00.000+00:00";
      p["isAttachedCompute"] = false;
      auto& pp = p["properties"];
      pp["vmSize"] = "STANDARD_NC6";
      pp["vmPriority"] = "dedicated";
      pp["osType"] = "Linux";
      pp["scaleSettings"]["nodeIdleTimeBeforeScaleDown"] = "PT2M";
      pp["userAccountCredentials"] = {{"adminUserName", "azureuser"}};
      pp["allocationState"] = "Steady";
      pp["allocationStateTransitionTime"] = "2024-05-01T00:00:00Z";
      pp["currentNodeCount"] = 0;
      pp["targetNodeCount"] = 0;
      pp["nodeStateCounts"] = {{"idleNodeCount", 0}, {"runningNodeCount", 0}};
      pp["errors"] = nullptr;
      pp["virtualMachineImage"] = nullptr;
      pp["enableNodePublicIp"] = true;
      pp["isolatedNetwork"] = false;
      break;
    }
    case Kind::Datastore:
      p["credentials"]["secrets"].erase("key");
      p["isDefault"] = false;
      p["endpoint"] = "core.windows.net";
      p["protocol"] = "https";
      p["properties"] = nullptr;
      break;
    case Kind::EnvironmentContainer:
      p["latestVersion"] = "1";
      p["nextVersion"] = "2";
      p["provisioningState"] = "Succeeded";
      break;
    case Kind::EnvironmentVersion:
      p["isAnonymous"] = false;
      p["environmentType"] = "UserCreated";
      p["provisioningState"] = "Succeeded";
      break;
    case Kind::Job:
      p["status"] = "Running";
      p["services"] = {{"Studio", {{"endpoint", "https://ml.azure.com/runs/job-1"}}}};
      {
        std::string compute = p["computeId"].get<std::string>();
        compute.replace(compute.find("/resourceGroups/"), 16, "/RESOURCEGROUPS/");
        p["computeId"] = compute;
      }
      p["jobType"] = "command";
      p["limits"]["timeout"] = "PT3600S";
      break;
  }
  return out;
}

inline ObservedResource observed(Kind kind, const std::string& id, json body) {
  return ObservedResource{kind, id, as_served(kind, id, std::move(body))};
}

inline json unowned(Kind kind, json body) {
  if (kind == Kind::Workspace || kind == Kind::Compute) {
    body["tags"] = {{"team", "vision"}};
  } else {
    body["properties"]["tags"] = {{"team", "vision"}};
  }
  return body;
}

}  // namespace bai2aml::reconcile::fixtures
