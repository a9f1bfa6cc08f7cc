// Per-subscription token buckets for ARM reads and writes, as ARM throttles them. A rate of 0 means
// unlimited (the remaining count then reports ARM's hourly defaults).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace bai2aml::emulator {

struct BucketConfig {
  double rate = 0;   // tokens per second; 0 = unlimited
  double burst = 0;  // capacity; defaults to max(1, rate) when 0
};

class RateLimiter {
 public:
  RateLimiter(BucketConfig reads, BucketConfig writes);

  struct Decision {
    bool allowed = true;
    long long remaining = 0;  // for x-ms-ratelimit-remaining-subscription-reads|writes
    int retry_after_seconds = 0;
  };
  Decision take(const std::string& subscription, bool write);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  BucketConfig reads_, writes_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;  // key: "r:" or "w:" + lower-cased subscription
};

}  // namespace bai2aml::emulator
