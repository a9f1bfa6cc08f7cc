// A source of bearer tokens (Azure SDK's TokenCredential, asynchronous). Constructors do no I/O;
// a credential missing its configuration reports CredentialUnavailable on first use.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "azure/result.hpp"

namespace bai2aml::azure {

struct AccessToken {
  std::string token;                               // never logged
  std::chrono::steady_clock::time_point expires_at;  // steady: immune to wall-clock jumps
};

using TokenCallback = std::function<void(Result<AccessToken>)>;

class TokenCredential {
 public:
  virtual ~TokenCredential() = default;
  virtual std::string name() const = 0;  // for logs: "client_secret", "managed_identity", ...
  // scope: e.g. kArmScope. force_refresh: ignore the cache (after a 401).
  virtual void get_token(const std::string& scope, bool force_refresh, TokenCallback done) = 0;
  // The owner goes away: a token request in flight is cancelled (Policy::shutdown of its pipeline).
  virtual void shutdown() {}
};

}  // namespace bai2aml::azure
