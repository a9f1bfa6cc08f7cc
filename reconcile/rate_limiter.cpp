#include "reconcile/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bai2aml::reconcile {

ItemExponentialLimiter::ItemExponentialLimiter(std::chrono::milliseconds base, std::chrono::milliseconds cap)
    : base_(base), cap_(cap) {
  if (base_.count() < 0 || cap_ < base_) throw std::invalid_argument("ItemExponentialLimiter: need 0 <= base <= cap");
}

std::chrono::milliseconds ItemExponentialLimiter::when(const std::string& key) {
  const int exp = failures_[key]++;
  // Computed in double so a long failure streak saturates at the cap instead of overflowing.
  const double delay = static_cast<double>(base_.count()) * std::pow(2.0, std::min(exp, 1000));
  if (delay >= static_cast<double>(cap_.count())) return cap_;
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(delay));
}

void ItemExponentialLimiter::forget(const std::string& key) { failures_.erase(key); }

int ItemExponentialLimiter::num_requeues(const std::string& key) const {
  const auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

MaxOfLimiter::MaxOfLimiter(std::vector<std::shared_ptr<RateLimiter>> members) : members_(std::move(members)) {
  if (members_.empty() || std::any_of(members_.begin(), members_.end(), [](const auto& m) { return !m; })) {
    throw std::invalid_argument("MaxOfLimiter: needs at least one non-null member");
  }
}

std::chrono::milliseconds MaxOfLimiter::when(const std::string& key) {
  std::chrono::milliseconds out{0};
  for (auto& m : members_) out = std::max(out, m->when(key));  // every member counts the failure
  return out;
}

void MaxOfLimiter::forget(const std::string& key) {
  for (auto& m : members_) m->forget(key);
}

int MaxOfLimiter::num_requeues(const std::string& key) const {
  int out = 0;
  for (const auto& m : members_) out = std::max(out, m->num_requeues(key));
  return out;
}

}  // namespace bai2aml::reconcile
