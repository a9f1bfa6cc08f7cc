// Per-credential token cache: one entry per scope, fresh while expires_at > now + margin (margin:
// 2 minutes, or a third of a short token's lifetime); concurrent callers of a stale entry wait for
// one fetch instead of stampeding the token endpoint. Single-threaded (the io_context thread).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "azure/credentials/token_credential.hpp"

namespace bai2aml::azure {

class TokenCache {
 public:
  using Fetch = std::function<void(const std::string& scope, TokenCallback done)>;
  explicit TokenCache(std::chrono::seconds margin = std::chrono::minutes(2)) : margin_(margin) {}

  void get(const std::string& scope, bool force_refresh, const Fetch& fetch, TokenCallback done);

 private:
  struct Entry {
    AccessToken token;
    std::chrono::steady_clock::time_point refresh_at;
    bool valid = false;
    bool fetching = false;
    std::vector<TokenCallback> waiters;
  };
  std::chrono::seconds margin_;
  std::map<std::string, Entry> entries_;
};

}  // namespace bai2aml::azure
