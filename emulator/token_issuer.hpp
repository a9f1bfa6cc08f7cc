// Issues and checks the opaque bearer tokens of the emulated Entra ID token endpoint and IMDS.
#pragma once

#include <chrono>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>

namespace bai2aml::emulator {

class TokenIssuer {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TokenIssuer(std::chrono::seconds ttl) : ttl_(ttl), rng_(std::random_device{}()) {}

  std::string issue();  // a fresh token valid for ttl()
  enum class Check { Valid, Unknown, Expired };
  Check check(const std::string& token) const;
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  std::chrono::seconds ttl_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;
  std::unordered_map<std::string, Clock::time_point> expiry_;
};

}  // namespace bai2aml::emulator
