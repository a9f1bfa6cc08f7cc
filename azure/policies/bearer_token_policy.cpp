#include "azure/policies/bearer_token_policy.hpp"

#include <spdlog/spdlog.h>

namespace bai2aml::azure {

BearerTokenPolicy::BearerTokenPolicy(std::shared_ptr<TokenCredential> credential, std::string scope,
                                     TransportOptions transport)
    : credential_(std::move(credential)), scope_(std::move(scope)), transport_(std::move(transport)) {}

void BearerTokenPolicy::send(Request request, Next next, ResponseCallback done) {
  const auto url = parse_url(request.url);
  if (!url || !insecure_url_allowed(*url, transport_)) {
    ArmError e;
    e.code = url ? errc::kInsecureTransport : errc::kInvalidUrl;
    e.message = url ? "refusing to send a bearer token over plain http to " + url->host
                    : "not an absolute http(s) URL: " + request.url;
    done(std::move(e));
    return;
  }
  send_with_token(std::move(request), std::move(next), std::move(done), false);
}

void BearerTokenPolicy::send_with_token(Request request, Next next, ResponseCallback done, bool refreshed) {
  credential_->get_token(scope_, refreshed, [this, request = std::move(request), next, done = std::move(done),
                                             refreshed](Result<AccessToken> token) mutable {
    if (!token) {
      done(token.error());
      return;
    }
    Request authorized = request;
    authorized.headers["Authorization"] = "Bearer " + token.value().token;
    next(std::move(authorized), [this, request = std::move(request), next, done = std::move(done),
                                 refreshed](Result<Response> result) mutable {
      if (result && result.value().status == 401 && !refreshed) {
        // The token may have been revoked or expired early: fetch a fresh one and try once more.
        spdlog::debug("{} {} answered 401; refreshing the {} token once", request.method, request.url,
                      credential_->name());
        send_with_token(std::move(request), std::move(next), std::move(done), true);
        return;
      }
      done(std::move(result));
    });
  });
}

}  // namespace bai2aml::azure
