#include "emulator/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

#include "emulator/http_types.hpp"

namespace bai2aml::emulator {

RateLimiter::RateLimiter(BucketConfig reads, BucketConfig writes) : reads_(reads), writes_(writes) {
  for (auto* c : {&reads_, &writes_})
    if (c->rate > 0 && c->burst <= 0) c->burst = std::max(1.0, c->rate);
}

RateLimiter::Decision RateLimiter::take(const std::string& subscription, bool write) {
  const BucketConfig& cfg = write ? writes_ : reads_;
  Decision d;
  if (cfg.rate <= 0) {
    d.remaining = write ? 1199 : 11999;  // ARM's per-hour subscription limits minus this call
    return d;
  }
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  auto [it, inserted] = buckets_.try_emplace((write ? "w:" : "r:") + to_lower(subscription), Bucket{cfg.burst, now});
  Bucket& b = it->second;
  if (!inserted) {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(cfg.burst, b.tokens + elapsed * cfg.rate);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    d.remaining = static_cast<long long>(std::floor(b.tokens));
    return d;
  }
  d.allowed = false;
  d.remaining = 0;
  d.retry_after_seconds = std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / cfg.rate)));
  return d;
}

}  // namespace bai2aml::emulator
