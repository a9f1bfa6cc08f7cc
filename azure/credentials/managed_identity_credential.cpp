// managed_identity: the Azure Instance Metadata Service (IMDS) token endpoint.
#include <memory>

#include "azure/api_versions.hpp"
#include "azure/credentials/caching_credential.hpp"
#include "azure/credentials/credentials.hpp"

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

class ManagedIdentityCredential : public detail::CachingCredential {
 public:
  ManagedIdentityCredential(Pipeline pipeline, std::string endpoint, std::string client_id)
      : CachingCredential(std::move(pipeline)), endpoint_(std::move(endpoint)), client_id_(std::move(client_id)) {
    while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
  }

  std::string name() const override { return "managed_identity"; }

 private:
  Result<Request> token_request(const std::string& scope) override {
    Request request;
    request.method = "GET";
    request.url = endpoint_ + "/metadata/identity/oauth2/token?api-version=" + kImdsApiVersion +
                  "&resource=" + percent_encode(resource_of(scope));
    if (!client_id_.empty()) request.url += "&client_id=" + percent_encode(client_id_);
    request.headers["Metadata"] = "true";
    request.headers["Accept"] = "application/json";
    return request;
  }

  std::string endpoint_;
  std::string client_id_;
};

}  // namespace

std::shared_ptr<TokenCredential> make_managed_identity_credential(Pipeline token_pipeline, std::string imds_endpoint,
                                                                  std::string client_id) {
  return std::make_shared<ManagedIdentityCredential>(std::move(token_pipeline), std::move(imds_endpoint),
                                                     std::move(client_id));
}

}  // namespace bai2aml::azure
