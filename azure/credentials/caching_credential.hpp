// The shape both token-endpoint credentials share (client credentials, managed identity): one token
// request per scope, answered through the credential's own pipeline, the token cached (TokenCache)
// until it nears expiry. A subclass says only how to ask for a token.
#pragma once

#include <memory>
#include <string>

#include "azure/credentials/token_cache.hpp"
#include "azure/credentials/token_credential.hpp"
#include "azure/http_types.hpp"
#include "azure/pipeline.hpp"

namespace bai2aml::azure::detail {

class CachingCredential : public TokenCredential, public std::enable_shared_from_this<CachingCredential> {
 public:
  explicit CachingCredential(Pipeline pipeline) : pipeline_(std::move(pipeline)) {}

  void get_token(const std::string& scope, bool force_refresh, TokenCallback done) final;
  void shutdown() final { pipeline_.shutdown(); }

 protected:
  // The request for a token of `scope`, or why none can be made (missing configuration or file).
  // Called at every fetch, so files are re-read (a federated token is rotated underneath us).
  virtual Result<Request> token_request(const std::string& scope) = 0;

 private:
  void fetch(const std::string& scope, TokenCallback done);

  Pipeline pipeline_;
  TokenCache cache_;
};

}  // namespace bai2aml::azure::detail
