// client_secret and workload_identity: the OAuth2 client_credentials grant on the v2.0 endpoint.
#include <memory>

#include "azure/credentials/caching_credential.hpp"
#include "azure/credentials/credentials.hpp"
#include "azure/credentials/token_request.hpp"

namespace bai2aml::azure {

namespace {

class ClientCredential : public detail::CachingCredential {
 public:
  ClientCredential(Pipeline pipeline, ClientCredentialOptions options)
      : CachingCredential(std::move(pipeline)), options_(std::move(options)) {}

  std::string name() const override { return options_.credential_name; }

 private:
  Result<Request> token_request(const std::string& scope) override {
    if (options_.tenant_id.empty() || options_.client_id.empty()) {
      return detail::credential_error(errc::kCredentialUnavailable,
                                      name() + ": azure.auth.tenant_id and azure.auth.client_id are required");
    }
    std::string body = "grant_type=client_credentials&client_id=" + percent_encode(options_.client_id) +
                       "&scope=" + percent_encode(scope);
    if (!options_.secret.empty()) {
      body += "&client_secret=" + percent_encode(options_.secret);
    } else if (!options_.secret_file.empty()) {
      auto secret = detail::read_secret_file(options_.secret_file, "client secret", name());
      if (!secret) return secret.error();
      body += "&client_secret=" + percent_encode(secret.value());
    } else {
      // Re-read at every fetch: the federated token is rotated underneath us.
      auto assertion = detail::read_secret_file(options_.assertion_file, "federated token", name());
      if (!assertion) return assertion.error();
      body += "&client_assertion_type=" + percent_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
              "&client_assertion=" + percent_encode(assertion.value());
    }
    Request request;
    request.method = "POST";
    request.url = options_.authority + "/" + percent_encode(options_.tenant_id) + "/oauth2/v2.0/token";
    request.headers["Content-Type"] = "application/x-www-form-urlencoded";
    request.headers["Accept"] = "application/json";
    request.body = std::move(body);
    return request;
  }

  ClientCredentialOptions options_;
};

}  // namespace

std::shared_ptr<TokenCredential> make_client_credential(Pipeline token_pipeline, ClientCredentialOptions options) {
  return std::make_shared<ClientCredential>(std::move(token_pipeline), std::move(options));
}

}  // namespace bai2aml::azure
