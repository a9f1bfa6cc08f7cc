// managed_identity: the Azure Instance Metadata Service (IMDS) token endpoint.
#include <memory>

#include <spdlog/spdlog.h>

#include "azure/api_versions.hpp"
#include "azure/credentials/credentials.hpp"
#include "azure/credentials/token_cache.hpp"
#include "azure/credentials/token_request.hpp"

namespace bai2aml::azure {

namespace {

// IMDS speaks the v1 "resource" form: "https://management.azure.com/.default" -> ".../".
std::string resource_of(const std::string& scope) {
  const std::string suffix = "/.default";
  if (scope.size() > suffix.size() && scope.compare(scope.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return scope.substr(0, scope.size() - suffix.size()) + "/";
  }
  return scope;
}

class ManagedIdentityCredential : public TokenCredential,
                                  public std::enable_shared_from_this<ManagedIdentityCredential> {
 public:
  ManagedIdentityCredential(Pipeline pipeline, std::string endpoint, std::string client_id)
      : pipeline_(std::move(pipeline)), endpoint_(std::move(endpoint)), client_id_(std::move(client_id)) {
    while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
  }

  std::string name() const override { return "managed_identity"; }

  void get_token(const std::string& scope, bool force_refresh, TokenCallback done) override {
    auto self = shared_from_this();
    cache_.get(scope, force_refresh,
               [self](const std::string& s, TokenCallback fetched) { self->fetch(s, std::move(fetched)); },
               std::move(done));
  }

 private:
  void fetch(const std::string& scope, TokenCallback done) {
    Request request;
    request.method = "GET";
    request.url = endpoint_ + "/metadata/identity/oauth2/token?api-version=" + kImdsApiVersion +
                  "&resource=" + percent_encode(resource_of(scope));
    if (!client_id_.empty()) request.url += "&client_id=" + percent_encode(client_id_);
    request.headers["Metadata"] = "true";
    request.headers["Accept"] = "application/json";
    const std::string endpoint = endpoint_ + "/metadata/identity/oauth2/token";
    auto self = shared_from_this();
    pipeline_.send(std::move(request), [self, endpoint, done = std::move(done)](Result<Response> result) {
      auto token = detail::parse_token_response(result, self->name(), endpoint);
      if (token) spdlog::debug("{}: obtained a token from {}", self->name(), endpoint);
      done(std::move(token));
    });
  }

  Pipeline pipeline_;
  std::string endpoint_;
  std::string client_id_;
  TokenCache cache_;
};

}  // namespace

std::shared_ptr<TokenCredential> make_managed_identity_credential(Pipeline token_pipeline, std::string imds_endpoint,
                                                                  std::string client_id) {
  return std::make_shared<ManagedIdentityCredential>(std::move(token_pipeline), std::move(imds_endpoint),
                                                     std::move(client_id));
}

}  // namespace bai2aml::azure
