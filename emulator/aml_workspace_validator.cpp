// AML workspaces (machineLearningServices.json 2024-04-01: Workspace, WorkspaceProperties,
// WorkspaceUpdateParameters).
#include "emulator/json_util.hpp"
#include "emulator/http_types.hpp"
#include "emulator/validators.hpp"

namespace bai2aml::emulator::detail {

Validation validate_aml_workspace(const nlohmann::json& body) {
  BodyChecker c;
  // A tracked resource: ARM requires its location.
  c.string(&body, "", "location", true, true);
  c.string_map(&body, "", "tags");
  c.string(&body, "", "kind");
  c.object(&body, "", "identity");
  c.object(&body, "", "sku");
  const nlohmann::json* p = c.object(&body, "", "properties");
  for (const char* key : {"description", "friendlyName", "keyVault", "applicationInsights", "containerRegistry",
                          "storageAccount", "discoveryUrl", "imageBuildCompute", "primaryUserAssignedIdentity"})
    c.string(p, "properties", key);
  c.boolean(p, "properties", "hbiWorkspace");
  c.boolean(p, "properties", "allowPublicAccessWhenBehindVnet");
  c.boolean(p, "properties", "v1LegacyMode");
  c.enumeration(p, "properties", "publicNetworkAccess", {"Enabled", "Disabled"});
  c.object(p, "properties", "encryption");
  return c.result();
}

Validation validate_aml_workspace_patch(const nlohmann::json& body) {
  BodyChecker c;
  c.only_keys(&body, "", {"tags", "sku", "identity", "properties"});
  c.string_map(&body, "", "tags");
  const nlohmann::json* p = c.object(&body, "", "properties");
  c.only_keys(p, "properties",
              {"description", "friendlyName", "imageBuildCompute", "serviceManagedResourcesSettings",
               "primaryUserAssignedIdentity", "serverlessComputeSettings", "publicNetworkAccess",
               "applicationInsights", "containerRegistry", "featureStoreSettings", "managedNetwork", "enableDataIsolation",
               "v1LegacyMode", "encryption"});
  c.string(p, "properties", "description");
  c.string(p, "properties", "friendlyName");
  c.enumeration(p, "properties", "publicNetworkAccess", {"Enabled", "Disabled"});
  return c.result();
}

Validation validate_aml_workspace_replace(const nlohmann::json& existing, const nlohmann::json& body) {
  // "This cannot be changed once the workspace has been created" (WorkspaceProperties.keyVault/storageAccount).
  for (const char* key : {"keyVault", "storageAccount"}) {
    const nlohmann::json::json_pointer p("/properties/" + std::string(key));
    std::string before = existing.contains(p) && existing.at(p).is_string() ? existing.at(p).get<std::string>() : "";
    std::string after = body.contains(p) && body.at(p).is_string() ? body.at(p).get<std::string>() : "";
    if (!before.empty() && !iequals(before, after))
      return ArmError{409, kPropertyChangeNotAllowed,
                      std::string("The workspace property '") + key + "' cannot be changed once the workspace exists."};
  }
  const std::string before = string_or(existing, "location", "");
  const std::string after = string_or(body, "location", "");
  if (!iequals(before, after))
    return ArmError{409, "InvalidResourceLocation",
                    "The location of an existing workspace cannot change (from '" + before + "' to '" + after + "')."};
  return std::nullopt;
}

}  // namespace bai2aml::emulator::detail
