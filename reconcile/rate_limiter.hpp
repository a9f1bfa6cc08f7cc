// Per-key retry delays for the work queue (client-go's workqueue rate limiters, STYLE.md §2.5).
// These pace *requeues of failed keys* only; ARM's request limits live in the azure/ pipeline.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bai2aml::reconcile {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // The delay before `key` is retried; counts one more failure for it.
  virtual std::chrono::milliseconds when(const std::string& key) = 0;
  // Drops the failure history of `key` (after success, a poll, or a terminal error).
  virtual void forget(const std::string& key) = 0;
  // Failures counted for `key` since it was last forgotten.
  virtual int num_requeues(const std::string& key) const = 0;
};

// base * 2^failures, capped (client-go default: 5 ms .. 1000 s).
class ItemExponentialLimiter final : public RateLimiter {
 public:
  explicit ItemExponentialLimiter(std::chrono::milliseconds base = std::chrono::milliseconds(5),
                                  std::chrono::milliseconds cap = std::chrono::seconds(1000));
  std::chrono::milliseconds when(const std::string& key) override;
  void forget(const std::string& key) override;
  int num_requeues(const std::string& key) const override;

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  std::map<std::string, int> failures_;
};

// The largest delay of its members; forget() reaches every member.
class MaxOfLimiter final : public RateLimiter {
 public:
  explicit MaxOfLimiter(std::vector<std::shared_ptr<RateLimiter>> members);
  std::chrono::milliseconds when(const std::string& key) override;
  void forget(const std::string& key) override;
  int num_requeues(const std::string& key) const override;

 private:
  std::vector<std::shared_ptr<RateLimiter>> members_;
};

}  // namespace bai2aml::reconcile
