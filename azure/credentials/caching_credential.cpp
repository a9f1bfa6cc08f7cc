#include "azure/credentials/caching_credential.hpp"

#include <spdlog/spdlog.h>

#include "azure/credentials/token_request.hpp"

namespace bai2aml::azure::detail {

void CachingCredential::get_token(const std::string& scope, bool force_refresh, TokenCallback done) {
  auto self = shared_from_this();
  cache_.get(scope, force_refresh,
             [self](const std::string& s, TokenCallback fetched) { self->fetch(s, std::move(fetched)); },
             std::move(done));
}

void CachingCredential::fetch(const std::string& scope, TokenCallback done) {
  auto request = token_request(scope);
  if (!request) return done(request.error());
  // Messages name the endpoint without its query (which may carry a client id).
  const std::string endpoint = request.value().url.substr(0, request.value().url.find('?'));
  auto self = shared_from_this();
  pipeline_.send(std::move(request.value()), [self, endpoint, done = std::move(done)](Result<Response> result) {
    auto token = parse_token_response(result, self->name(), endpoint);
    if (token) spdlog::debug("{}: obtained a token from {}", self->name(), endpoint);
    done(std::move(token));
  });
}

}  // namespace bai2aml::azure::detail
