// The one decision a work item ends with, and the single place that turns it into "when next"
// (controller-runtime's Result, STYLE.md §2.2, and ASO's interval calculator, §3.6):
//   Done          -> forget the failure history; come back after the resync period (if any), jittered
//   PollAfter(d)  -> forget the failure history; come back after exactly d (an LRO's Retry-After)
//   RetryBackoff  -> exponential per-key backoff through the rate limiter, capped by the speed's
//                    ceiling, and never sooner than a server-named delay
//   Terminal      -> forget; never retried until the desired spec changes (the caller records a finding)
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "reconcile/rate_limiter.hpp"

namespace bai2aml::reconcile {

enum class RetrySpeed { Fast, Slow, VerySlow };

struct Outcome {
  enum class Kind { Done, PollAfter, RetryBackoff, Terminal };
  Kind kind = Kind::Done;
  std::chrono::milliseconds after{0};  // PollAfter: the poll delay; RetryBackoff: a server-named minimum
  std::string reason;                  // ARM error code or internal reason (PascalCase)
  RetrySpeed speed = RetrySpeed::Fast;  // RetryBackoff only

  static Outcome done() { return {}; }
  static Outcome poll_after(std::chrono::milliseconds delay, std::string why = "") {
    return {Kind::PollAfter, delay, std::move(why), RetrySpeed::Fast};
  }
  static Outcome retry(std::string why, RetrySpeed speed = RetrySpeed::Fast,
                       std::chrono::milliseconds at_least = std::chrono::milliseconds(0)) {
    return {Kind::RetryBackoff, at_least, std::move(why), speed};
  }
  static Outcome terminal(std::string why) { return {Kind::Terminal, std::chrono::milliseconds(0), std::move(why), RetrySpeed::Fast}; }
};
const char* to_string(Outcome::Kind kind);  // "done", "poll_after", "retry_backoff", "terminal"

struct NextAttemptOptions {
  std::chrono::milliseconds resync{0};                          // after Done; 0: do not come back
  double resync_jitter = 0.25;                                  // +-25 %
  std::chrono::milliseconds default_poll{std::chrono::seconds(5)};  // PollAfter without a delay
  std::chrono::milliseconds max_poll{std::chrono::minutes(5)};      // an absurd Retry-After is clamped
  std::chrono::milliseconds fast_cap{std::chrono::minutes(5)};      // backoff ceiling by speed
  std::chrono::milliseconds slow_cap{std::chrono::minutes(15)};
  std::chrono::milliseconds very_slow_cap{std::chrono::hours(1)};
};

struct NextAttempt {
  std::optional<std::chrono::milliseconds> after;  // nullopt: not requeued
  bool forget = false;                             // the failure history was dropped
  int failures = 0;                                // consecutive failures counted for the key
};

class NextAttemptCalculator {
 public:
  // `unit_random` returns values in [0, 1); injected so tests are deterministic.
  NextAttemptCalculator(NextAttemptOptions options, std::shared_ptr<RateLimiter> limiter,
                        std::function<double()> unit_random = {});
  NextAttempt next(const std::string& key, const Outcome& outcome);
  RateLimiter& limiter() { return *limiter_; }

 private:
  NextAttemptOptions options_;
  std::shared_ptr<RateLimiter> limiter_;
  std::function<double()> unit_random_;
};

}  // namespace bai2aml::reconcile
