#include "reconcile/outcome.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

namespace bai2aml::reconcile {

const char* to_string(Outcome::Kind kind) {
  switch (kind) {
    case Outcome::Kind::Done: return "done";
    case Outcome::Kind::PollAfter: return "poll_after";
    case Outcome::Kind::RetryBackoff: return "retry_backoff";
    case Outcome::Kind::Terminal: return "terminal";
  }
  return "unknown";
}

NextAttemptCalculator::NextAttemptCalculator(NextAttemptOptions options, std::shared_ptr<RateLimiter> limiter,
                                             std::function<double()> unit_random)
    : options_(options), limiter_(std::move(limiter)), unit_random_(std::move(unit_random)) {
  if (!limiter_) throw std::invalid_argument("NextAttemptCalculator: limiter is null");
  if (!unit_random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    unit_random_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

NextAttempt NextAttemptCalculator::next(const std::string& key, const Outcome& outcome) {
  using std::chrono::milliseconds;
  NextAttempt out;
  switch (outcome.kind) {
    case Outcome::Kind::Done: {
      limiter_->forget(key);
      out.forget = true;
      if (options_.resync.count() > 0) {
        const double factor = 1.0 + options_.resync_jitter * (2.0 * unit_random_() - 1.0);
        out.after = milliseconds(static_cast<milliseconds::rep>(static_cast<double>(options_.resync.count()) * factor));
      }
      return out;
    }
    case Outcome::Kind::PollAfter: {
      // Polling is not failing: a long LRO must not inflate the backoff of a later error.
      limiter_->forget(key);
      out.forget = true;
      const milliseconds wanted = outcome.after.count() > 0 ? outcome.after : options_.default_poll;
      out.after = std::min(wanted, options_.max_poll);
      return out;
    }
    case Outcome::Kind::RetryBackoff: {
      const milliseconds cap = outcome.speed == RetrySpeed::Fast   ? options_.fast_cap
                               : outcome.speed == RetrySpeed::Slow ? options_.slow_cap
                                                                   : options_.very_slow_cap;
      milliseconds delay = std::min(limiter_->when(key), cap);
      delay = std::max(delay, std::min(outcome.after, options_.max_poll));
      out.after = delay;
      out.failures = limiter_->num_requeues(key);
      return out;
    }
    case Outcome::Kind::Terminal:
      limiter_->forget(key);
      out.forget = true;
      return out;
  }
  return out;
}

}  // namespace bai2aml::reconcile
