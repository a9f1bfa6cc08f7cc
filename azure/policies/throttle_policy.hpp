// Client-side pacing: a token bucket per (subscription, reads|writes), so that bai2aml stays under
// ARM's limits instead of collecting 429s. The buckets adapt to what ARM says:
// x-ms-ratelimit-remaining-subscription-{reads,writes} sets the local tokens (minus requests still
// in flight, at most the local burst), so the local refill rate only paces while the server's budget
// is spent; a 429 halves the refill rate and holds the bucket until its Retry-After; successes
// raise the rate back additively. A hold never exceeds max_server_delay (kMaxServerDelay). Until the first answer of a bucket arrives only one request of
// that bucket is in flight (the server's budget is unknown). Requests without a subscription in
// their URL pass unpaced.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "azure/http_types.hpp"
#include "azure/pipeline.hpp"

namespace boost::asio {
class io_context;
}

namespace bai2aml::azure {

struct ThrottleOptions {
  double read_rate = 25.0;    // tokens per second (ARM: 250 burst, 25/s per subscription)
  double read_burst = 250.0;
  double write_rate = 10.0;   // ARM: 200 burst, 10/s per subscription
  double write_burst = 200.0;
  double min_rate = 0.2;      // floor of the adaptive rate
  double recovery_step = 0.5; // tokens/s added back per successful answer, up to the configured rate
  std::chrono::milliseconds max_server_delay{kMaxServerDelay};  // cap on a 429's Retry-After hold
};

class ThrottlePolicy : public Policy {
 public:
  ThrottlePolicy(boost::asio::io_context& io, ThrottleOptions options);
  ~ThrottlePolicy() override;
  void send(Request request, Next next, ResponseCallback done) override;
  void shutdown() override;

  // The current refill rate of a bucket (tokens/s), or 0 if it does not exist; for tests and logs.
  double rate(const std::string& subscription, bool writes) const;
  // The tokens a bucket holds as of its last answer or refill, or 0 if it does not exist; for tests.
  double tokens(const std::string& subscription, bool writes) const;
  // How long a bucket is still held after a 429 (0 if not held or absent); for tests.
  std::chrono::milliseconds hold_remaining(const std::string& subscription, bool writes) const;

  struct Bucket;

 private:
  void pump(const std::shared_ptr<Bucket>& bucket);
  boost::asio::io_context& io_;
  ThrottleOptions options_;
  std::map<std::string, std::shared_ptr<Bucket>> buckets_;  // "sub|reads", "sub|writes"
};

}  // namespace bai2aml::azure
