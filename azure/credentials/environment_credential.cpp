// environment: azure-identity's EnvironmentCredential variables, read once at construction.
#include <cstdlib>
#include <memory>
#include <vector>

#include "azure/credentials/credentials.hpp"
#include "azure/credentials/token_request.hpp"

namespace bai2aml::azure {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// A credential that cannot work: says why on every use (constructors never fail, STYLE §1.7).
class UnavailableCredential : public TokenCredential {
 public:
  UnavailableCredential(std::string name, std::string why) : name_(std::move(name)), why_(std::move(why)) {}
  std::string name() const override { return name_; }
  void get_token(const std::string&, bool, TokenCallback done) override {
    done(detail::credential_error(errc::kCredentialUnavailable, name_ + ": " + why_));
  }

 private:
  std::string name_;
  std::string why_;
};

// client_secret and workload_identity: the same grant from azure.auth, told apart by the file that
// holds the secret (client_secret_file) or the federated token (federated_token_file).
std::shared_ptr<TokenCredential> client_credential_from_config(const config::Azure& azure, Pipeline token_pipeline,
                                                               const char* name, const char* file_key,
                                                               const std::string& file,
                                                               std::string ClientCredentialOptions::*file_option) {
  if (file.empty()) {
    return std::make_shared<UnavailableCredential>(name, std::string("azure.auth.") + file_key + " is not set");
  }
  ClientCredentialOptions o;
  o.authority = azure.authority;
  o.tenant_id = azure.auth.tenant_id;
  o.client_id = azure.auth.client_id;
  o.credential_name = name;
  o.*file_option = file;
  return make_client_credential(std::move(token_pipeline), std::move(o));
}

}  // namespace

std::shared_ptr<TokenCredential> make_environment_credential(Pipeline token_pipeline, std::string default_authority) {
  ClientCredentialOptions options;
  options.credential_name = "environment";
  options.tenant_id = env("AZURE_TENANT_ID");
  options.client_id = env("AZURE_CLIENT_ID");
  options.secret = env("AZURE_CLIENT_SECRET");
  options.assertion_file = env("AZURE_FEDERATED_TOKEN_FILE");
  options.authority = env("AZURE_AUTHORITY_HOST");
  if (options.authority.empty()) options.authority = std::move(default_authority);
  while (!options.authority.empty() && options.authority.back() == '/') options.authority.pop_back();
  std::vector<std::string> missing;
  if (options.tenant_id.empty()) missing.push_back("AZURE_TENANT_ID");
  if (options.client_id.empty()) missing.push_back("AZURE_CLIENT_ID");
  if (options.secret.empty() && options.assertion_file.empty()) {
    missing.push_back("AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE");
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return std::make_shared<UnavailableCredential>("environment", "environment variable(s) not set: " + list);
  }
  return make_client_credential(std::move(token_pipeline), std::move(options));
}

std::shared_ptr<TokenCredential> make_credential(const config::Azure& azure, Pipeline token_pipeline) {
  const auto& auth = azure.auth;
  switch (auth.method) {
    case config::AuthMethod::ClientSecret:
      return client_credential_from_config(azure, std::move(token_pipeline), "client_secret", "client_secret_file",
                                           auth.client_secret_file, &ClientCredentialOptions::secret_file);
    case config::AuthMethod::WorkloadIdentity:
      return client_credential_from_config(azure, std::move(token_pipeline), "workload_identity",
                                           "federated_token_file", auth.federated_token_file,
                                           &ClientCredentialOptions::assertion_file);
    case config::AuthMethod::ManagedIdentity:
      return make_managed_identity_credential(std::move(token_pipeline), auth.imds_endpoint, auth.client_id);
    case config::AuthMethod::Environment:
      return make_environment_credential(std::move(token_pipeline), azure.authority);
  }
  return std::make_shared<UnavailableCredential>("unknown", "unknown azure.auth.method");
}

}  // namespace bai2aml::azure
