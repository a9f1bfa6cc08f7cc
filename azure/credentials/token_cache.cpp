#include "azure/credentials/token_cache.hpp"

#include <algorithm>

namespace bai2aml::azure {

void TokenCache::get(const std::string& scope, bool force_refresh, const Fetch& fetch, TokenCallback done) {
  auto& entry = entries_[scope];
  const auto now = std::chrono::steady_clock::now();
  if (!force_refresh && entry.valid && now < entry.refresh_at) {
    done(entry.token);
    return;
  }
  entry.waiters.push_back(std::move(done));
  if (entry.fetching) return;  // one fetch serves every waiter
  entry.fetching = true;
  if (force_refresh) entry.valid = false;
  fetch(scope, [this, scope](Result<AccessToken> result) {
    auto& e = entries_[scope];
    e.fetching = false;
    if (result) {
      const auto now2 = std::chrono::steady_clock::now();
      const auto lifetime = result.value().expires_at - now2;
      // Refresh 2 minutes early, or a third of the lifetime early for short-lived tokens.
      const auto margin = std::min<std::chrono::steady_clock::duration>(margin_, lifetime / 3);
      e.token = result.value();
      e.refresh_at = e.token.expires_at - margin;
      e.valid = true;
    }
    auto waiters = std::move(e.waiters);
    e.waiters.clear();
    for (auto& w : waiters) w(result);
  });
}

}  // namespace bai2aml::azure
