// client_secret and workload_identity: the OAuth2 client_credentials grant on the v2.0 endpoint.
#include <memory>

#include <spdlog/spdlog.h>

#include "azure/credentials/credentials.hpp"
#include "azure/credentials/token_cache.hpp"
#include "azure/credentials/token_request.hpp"

namespace bai2aml::azure {

namespace {

class ClientCredential : public TokenCredential, public std::enable_shared_from_this<ClientCredential> {
 public:
  ClientCredential(Pipeline pipeline, ClientCredentialOptions options)
      : pipeline_(std::move(pipeline)), options_(std::move(options)) {}

  std::string name() const override { return options_.credential_name; }

  void get_token(const std::string& scope, bool force_refresh, TokenCallback done) override {
    auto self = shared_from_this();
    cache_.get(scope, force_refresh,
               [self](const std::string& s, TokenCallback fetched) { self->fetch(s, std::move(fetched)); },
               std::move(done));
  }

 private:
  void fetch(const std::string& scope, TokenCallback done) {
    if (options_.tenant_id.empty() || options_.client_id.empty()) {
      done(detail::credential_error(errc::kCredentialUnavailable,
                                    name() + ": azure.auth.tenant_id and azure.auth.client_id are required"));
      return;
    }
    std::string body = "grant_type=client_credentials&client_id=" + percent_encode(options_.client_id) +
                       "&scope=" + percent_encode(scope);
    if (!options_.secret.empty()) {
      body += "&client_secret=" + percent_encode(options_.secret);
    } else if (!options_.secret_file.empty()) {
      auto secret = detail::read_secret_file(options_.secret_file, "client secret", name());
      if (!secret) return done(secret.error());
      body += "&client_secret=" + percent_encode(secret.value());
    } else {
      // Re-read at every fetch: the federated token is rotated underneath us.
      auto assertion = detail::read_secret_file(options_.assertion_file, "federated token", name());
      if (!assertion) return done(assertion.error());
      body += "&client_assertion_type=" + percent_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
              "&client_assertion=" + percent_encode(assertion.value());
    }
    Request request;
    request.method = "POST";
    request.url = options_.authority + "/" + percent_encode(options_.tenant_id) + "/oauth2/v2.0/token";
    request.headers["Content-Type"] = "application/x-www-form-urlencoded";
    request.headers["Accept"] = "application/json";
    request.body = std::move(body);
    const std::string endpoint = request.url;
    auto self = shared_from_this();
    pipeline_.send(std::move(request), [self, endpoint, done = std::move(done)](Result<Response> result) {
      auto token = detail::parse_token_response(result, self->name(), endpoint);
      if (token) spdlog::debug("{}: obtained a token from {}", self->name(), endpoint);
      done(std::move(token));
    });
  }

  Pipeline pipeline_;
  ClientCredentialOptions options_;
  TokenCache cache_;
};

}  // namespace

std::shared_ptr<TokenCredential> make_client_credential(Pipeline token_pipeline, ClientCredentialOptions options) {
  return std::make_shared<ClientCredential>(std::move(token_pipeline), std::move(options));
}

}  // namespace bai2aml::azure
