#include "emulator/token_issuer.hpp"

#include <cstdio>

namespace bai2aml::emulator {

std::string TokenIssuer::issue() {
  std::lock_guard lock(mu_);
  char buf[80];
  std::snprintf(buf, sizeof buf, "emu.%016llx%016llx", static_cast<unsigned long long>(rng_()),
                static_cast<unsigned long long>(rng_()));
  std::string token(buf);
  const auto now = Clock::now();
  // Forget long-expired tokens so a long-running emulator does not grow without bound.
  if (expiry_.size() > 10000)
    for (auto it = expiry_.begin(); it != expiry_.end();) it = it->second < now ? expiry_.erase(it) : std::next(it);
  expiry_[token] = now + ttl_;
  return token;
}

TokenIssuer::Check TokenIssuer::check(const std::string& token) const {
  std::lock_guard lock(mu_);
  auto it = expiry_.find(token);
  if (it == expiry_.end()) return Check::Unknown;
  return Clock::now() < it->second ? Check::Valid : Check::Expired;
}

}  // namespace bai2aml::emulator
