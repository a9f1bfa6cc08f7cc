// AML datastores (mfe.json 2024-04-01: DatastoreResource, Datastore, AzureFileDatastore, AzureBlobDatastore,
// AzureDataLakeGen1/Gen2Datastore, DatastoreCredentials and its discriminated subtypes).
#include "emulator/validators.hpp"

namespace bai2aml::emulator::detail {

namespace {
void check_credentials(BodyChecker& c, const nlohmann::json* props) {
  const std::string cp = "properties.credentials";
  const nlohmann::json* cred = c.object(props, "properties", "credentials", true);
  const nlohmann::json* type =
      c.enumeration(cred, cp, "credentialsType", {"AccountKey", "Certificate", "None", "Sas", "ServicePrincipal"}, true);
  if (!type || !c.ok()) return;
  const std::string t = type->get<std::string>();
  const std::string sp = cp + ".secrets";
  if (t == "AccountKey") {
    c.only_keys(cred, cp, {"credentialsType", "secrets"});
    const nlohmann::json* s = c.object(cred, cp, "secrets", true);
    c.enumeration(s, sp, "secretsType", {"AccountKey"}, true);
    c.string(s, sp, "key");
  } else if (t == "Sas") {
    const nlohmann::json* s = c.object(cred, cp, "secrets", true);
    c.enumeration(s, sp, "secretsType", {"Sas"}, true);
    c.string(s, sp, "sasToken");
  } else if (t == "ServicePrincipal") {
    c.string(cred, cp, "clientId", true, true);
    c.string(cred, cp, "tenantId", true, true);
    c.string(cred, cp, "authorityUrl");
    c.string(cred, cp, "resourceUrl");
    const nlohmann::json* s = c.object(cred, cp, "secrets", true);
    c.enumeration(s, sp, "secretsType", {"ServicePrincipal"}, true);
    c.string(s, sp, "clientSecret");
  } else if (t == "Certificate") {
    c.string(cred, cp, "clientId", true, true);
    c.string(cred, cp, "tenantId", true, true);
    c.string(cred, cp, "thumbprint", true, true);
    const nlohmann::json* s = c.object(cred, cp, "secrets", true);
    c.enumeration(s, sp, "secretsType", {"Certificate"}, true);
  } else {
    c.only_keys(cred, cp, {"credentialsType"});
  }
}
}  // namespace

Validation validate_aml_datastore(const nlohmann::json& body) {
  BodyChecker c;
  // DatastoreResource: additionalProperties false over the ProxyResource envelope.
  c.only_keys(&body, "", {"id", "name", "type", "systemData", "properties"});
  const nlohmann::json* p = c.object(&body, "", "properties", true);
  const nlohmann::json* type =
      c.enumeration(p, "properties", "datastoreType", {"AzureBlob", "AzureDataLakeGen1", "AzureDataLakeGen2", "AzureFile"}, true);
  c.string(p, "properties", "description");
  c.string_map(p, "properties", "properties");
  c.string_map(p, "properties", "tags");
  if (!type || !c.ok()) return c.result();
  const std::string t = type->get<std::string>();
  if (t == "AzureFile") {
    c.only_keys(p, "properties", {"description", "properties", "tags", "credentials", "datastoreType", "isDefault",
                                  "resourceGroup", "subscriptionId", "accountName", "endpoint", "fileShareName",
                                  "protocol", "serviceDataAccessAuthIdentity"});
    c.string(p, "properties", "accountName", true, true);
    c.string(p, "properties", "fileShareName", true, true);
  } else if (t == "AzureBlob") {
    c.only_keys(p, "properties", {"description", "properties", "tags", "credentials", "datastoreType", "isDefault",
                                  "resourceGroup", "subscriptionId", "accountName", "containerName", "endpoint",
                                  "protocol", "serviceDataAccessAuthIdentity"});
    c.string(p, "properties", "accountName");
    c.string(p, "properties", "containerName");
  } else if (t == "AzureDataLakeGen1") {
    c.string(p, "properties", "storeName", true, true);
  } else {
    c.string(p, "properties", "accountName", true, true);
    c.string(p, "properties", "filesystem", true, true);
  }
  c.string(p, "properties", "endpoint");
  c.string(p, "properties", "protocol");
  c.enumeration(p, "properties", "serviceDataAccessAuthIdentity",
                {"None", "WorkspaceSystemAssignedIdentity", "WorkspaceUserAssignedIdentity"});
  check_credentials(c, p);
  return c.result();
}

}  // namespace bai2aml::emulator::detail
