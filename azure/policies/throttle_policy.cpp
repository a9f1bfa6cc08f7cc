#include "azure/policies/throttle_policy.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace bai2aml::azure {

using Clock = std::chrono::steady_clock;

struct ThrottlePolicy::Bucket {
  Bucket(boost::asio::io_context& io, std::string n, double r, double b)
      : name(std::move(n)), rate(r), max_rate(r), burst(b), tokens(b), last_refill(Clock::now()), timer(io) {}
  std::string name;
  double rate;
  double max_rate;
  double burst;
  double tokens;
  Clock::time_point last_refill;
  Clock::time_point hold_until{};
  bool probed = false;  // an answer has told us the server's budget
  long max_remaining_seen = 0;
  int in_flight = 0;
  std::uint64_t sent = 0;     // requests started, numbered
  std::uint64_t newest = 0;   // the latest-started request whose answer set the tokens
  std::deque<std::function<void()>> waiting;
  boost::asio::steady_timer timer;
  bool timer_armed = false;

  void refill() {
    const auto now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - last_refill).count();
    tokens = std::min(burst, tokens + seconds * rate);
    last_refill = now;
  }
};

ThrottlePolicy::ThrottlePolicy(boost::asio::io_context& io, ThrottleOptions options)
    : io_(io), options_(options) {}

// Cancelled timers complete with operation_aborted and no longer touch this policy.
ThrottlePolicy::~ThrottlePolicy() { shutdown(); }

void ThrottlePolicy::shutdown() {
  for (auto& [key, bucket] : buckets_) {
    bucket->waiting.clear();
    bucket->timer.cancel();
  }
}

double ThrottlePolicy::rate(const std::string& subscription, bool writes) const {
  const auto it = buckets_.find(subscription + (writes ? "|writes" : "|reads"));
  return it == buckets_.end() ? 0.0 : it->second->rate;
}

double ThrottlePolicy::tokens(const std::string& subscription, bool writes) const {
  const auto it = buckets_.find(subscription + (writes ? "|writes" : "|reads"));
  return it == buckets_.end() ? 0.0 : it->second->tokens;
}

std::chrono::milliseconds ThrottlePolicy::hold_remaining(const std::string& subscription, bool writes) const {
  const auto it = buckets_.find(subscription + (writes ? "|writes" : "|reads"));
  if (it == buckets_.end()) return std::chrono::milliseconds(0);
  const auto left = it->second->hold_until - Clock::now();
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(left));
}

void ThrottlePolicy::send(Request request, Next next, ResponseCallback done) {
  const auto subscription = subscription_of(request.url);
  if (subscription.empty()) {
    next(std::move(request), std::move(done));
    return;
  }
  const bool writes = is_write_method(request.method);
  const auto key = subscription + (writes ? "|writes" : "|reads");
  auto& slot = buckets_[key];
  if (!slot) {
    slot = writes ? std::make_shared<Bucket>(io_, key, options_.write_rate, options_.write_burst)
                  : std::make_shared<Bucket>(io_, key, options_.read_rate, options_.read_burst);
  }
  auto bucket = slot;
  const std::string header = writes ? "x-ms-ratelimit-remaining-subscription-writes"
                                    : "x-ms-ratelimit-remaining-subscription-reads";
  bucket->waiting.push_back([this, bucket, header, request = std::move(request), next,
                             done = std::move(done)]() mutable {
    ++bucket->in_flight;
    const std::uint64_t number = ++bucket->sent;
    next(std::move(request), [this, bucket, header, number, done = std::move(done)](Result<Response> result) {
      --bucket->in_flight;
      if (result) {
        const auto& r = result.value();
        const auto remaining = r.header(header);
        bucket->refill();
        if (remaining && !remaining->empty() &&
            remaining->find_first_not_of("0123456789") == std::string::npos && remaining->size() < 10) {
          const long n = std::stol(*remaining);
          bucket->probed = true;
          bucket->max_remaining_seen = std::max(bucket->max_remaining_seen, n);
          // The server's word is the budget, minus what we have sent that it has not counted yet: it
          // lowers our estimate, and it raises it too (up to our burst), or a local refill rate lower
          // than the server's (the configured one, or one halved after a 429) would leave budget the
          // server grants unused for the rest of the run.
          // An answer overtaken by that of a later request is stale: the later requests it has not
          // counted are no longer in flight, so it may only lower the estimate.
          const double server = static_cast<double>(std::max(0L, n - bucket->in_flight));
          if (number > bucket->newest) {
            bucket->newest = number;
            bucket->tokens = std::min(bucket->burst, server);
          } else {
            bucket->tokens = std::min(bucket->tokens, server);
          }
          // Speed back up only while the server has plenty left, so that pacing settles below its rate.
          if (r.status != 429 && n * 4 > bucket->max_remaining_seen) {
            bucket->rate = std::min(bucket->max_rate, bucket->rate + options_.recovery_step);
          }
        } else {
          bucket->probed = true;  // this server sends no budget header: trust the configured rate
        }
        if (r.status == 429) {
          const auto asked = retry_after(r.headers).value_or(std::chrono::seconds(1));
          const auto delay = std::min<std::chrono::milliseconds>(asked, options_.max_server_delay);
          if (asked > delay)
            spdlog::warn("ARM asked {} to wait {} s (Retry-After); waiting {} s, the cap on server-imposed waits",
                         bucket->name, asked.count() / 1000, delay.count() / 1000);
          bucket->rate = std::max(options_.min_rate, bucket->rate / 2);
          bucket->tokens = 0;
          bucket->hold_until = std::max(bucket->hold_until, Clock::now() + delay);
          spdlog::info("ARM throttled {} (429); holding {} ms, pacing at {:.2f} requests/s", bucket->name,
                       delay.count(), bucket->rate);
        }
      }
      pump(bucket);
      done(std::move(result));
    });
  });
  pump(bucket);
}

void ThrottlePolicy::pump(const std::shared_ptr<Bucket>& bucket) {
  bucket->refill();
  while (!bucket->waiting.empty()) {
    const auto now = Clock::now();
    Clock::time_point wake{};
    if (now < bucket->hold_until) {
      wake = bucket->hold_until;
    } else if (!bucket->probed && bucket->in_flight > 0) {
      return;  // the first answer (which pumps again) tells us the server's budget
    } else if (bucket->tokens >= 1.0) {
      bucket->tokens -= 1.0;
      auto start = std::move(bucket->waiting.front());
      bucket->waiting.pop_front();
      start();
      continue;
    } else {
      const double seconds = (1.0 - bucket->tokens) / std::max(bucket->rate, options_.min_rate);
      wake = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    }
    if (bucket->timer_armed) return;
    bucket->timer_armed = true;
    bucket->timer.expires_at(wake);
    bucket->timer.async_wait([this, bucket](const boost::system::error_code& ec) {
      bucket->timer_armed = false;
      if (!ec) pump(bucket);
    });
    return;
  }
}

}  // namespace bai2aml::azure
