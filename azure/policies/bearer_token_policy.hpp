// Adds "Authorization: Bearer <token>" from a credential; refuses to send a token over plain http
// unless the transport options allow that URL; on a 401 asks the credential for a fresh token and
// sends once more.
#pragma once

#include <memory>
#include <string>

#include "azure/credentials/token_credential.hpp"
#include "azure/pipeline.hpp"
#include "azure/transport.hpp"

namespace bai2aml::azure {

class BearerTokenPolicy : public Policy {
 public:
  BearerTokenPolicy(std::shared_ptr<TokenCredential> credential, std::string scope, TransportOptions transport);
  void send(Request request, Next next, ResponseCallback done) override;
  void shutdown() override {
    if (credential_) credential_->shutdown();
  }

 private:
  void send_with_token(Request request, Next next, ResponseCallback done, bool refreshed);
  std::shared_ptr<TokenCredential> credential_;
  std::string scope_;
  TransportOptions transport_;
};

}  // namespace bai2aml::azure
