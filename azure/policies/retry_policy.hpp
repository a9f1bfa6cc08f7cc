// Retries 408/429/5xx answers and retryable transport errors with exponential backoff and jitter,
// honouring the server's delay (retry-after-ms, x-ms-retry-after-ms, Retry-After). Waits on a
// steady_timer. Never retries other statuses: their ARM classification is for the caller.
#pragma once

#include <chrono>
#include <functional>
#include <set>

#include "azure/http_types.hpp"
#include "azure/pipeline.hpp"

namespace boost::asio {
class io_context;
}

namespace bai2aml::azure {

struct RetryOptions {
  int max_retries = 3;                                  // attempts = max_retries + 1
  std::chrono::milliseconds base_delay{800};            // base * 2^attempt * jitter[0.8,1.3)
  std::chrono::milliseconds max_delay{60000};           // cap for computed delays
  std::chrono::milliseconds max_server_delay{kMaxServerDelay};  // cap for server-named delays
  std::set<int> statuses{408, 429, 500, 502, 503, 504};
};

class RetryPolicy : public Policy {
 public:
  RetryPolicy(boost::asio::io_context& io, RetryOptions options);
  void send(Request request, Next next, ResponseCallback done) override;

  // The delay before retry number `attempt` (0-based) when the server names none; exposed for tests.
  std::chrono::milliseconds backoff(int attempt, double jitter) const;

 private:
  void attempt(Request request, Next next, ResponseCallback done, int attempt_no);
  boost::asio::io_context& io_;
  RetryOptions options_;
};

}  // namespace bai2aml::azure
