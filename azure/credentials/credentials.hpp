// The four credentials of azure.auth.method, and the factory that picks one from the config.
// Each fetches through its own small pipeline (request-id, user-agent, retry, log, transport) and
// caches tokens per scope (TokenCache), refreshing them before they expire. Secrets and federated
// tokens are read from their files at each fetch and kept nowhere but in the request body.
#pragma once

#include <memory>
#include <string>

#include "azure/credentials/token_credential.hpp"
#include "azure/pipeline.hpp"
#include "config/config.hpp"

namespace bai2aml::azure {

// client_credentials grant at {authority}/{tenant}/oauth2/v2.0/token, with client_secret read
// from secret_file, or (workload identity) client_assertion read from assertion_file.
struct ClientCredentialOptions {
  std::string authority;  // "https://login.microsoftonline.com", no trailing slash
  std::string tenant_id;
  std::string client_id;
  std::string secret;          // environment only (AZURE_CLIENT_SECRET): the secret itself
  std::string secret_file;     // client_secret: read at each fetch
  std::string assertion_file;  // client_assertion (federated token); used when secret_file is empty
  std::string credential_name = "client_secret";
};
std::shared_ptr<TokenCredential> make_client_credential(Pipeline token_pipeline, ClientCredentialOptions options);

// IMDS: GET {endpoint}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=...[&client_id=]
// with "Metadata: true".
std::shared_ptr<TokenCredential> make_managed_identity_credential(Pipeline token_pipeline, std::string imds_endpoint,
                                                                  std::string client_id);

// azure-identity's environment variables, read now (getenv only): AZURE_TENANT_ID, AZURE_CLIENT_ID,
// then AZURE_CLIENT_SECRET (the secret itself: kept only inside the credential, never logged) or
// AZURE_FEDERATED_TOKEN_FILE; AZURE_AUTHORITY_HOST overrides default_authority. Missing variables
// make a credential that fails with CredentialUnavailable, naming them, on first use.
std::shared_ptr<TokenCredential> make_environment_credential(Pipeline token_pipeline, std::string default_authority);

// The credential azure.auth.method names, its tokens fetched through token_pipeline.
std::shared_ptr<TokenCredential> make_credential(const config::Azure& azure, Pipeline token_pipeline);

}  // namespace bai2aml::azure
