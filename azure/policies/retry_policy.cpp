#include "azure/policies/retry_policy.hpp"

#include <algorithm>
#include <random>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace bai2aml::azure {

RetryPolicy::RetryPolicy(boost::asio::io_context& io, RetryOptions options) : io_(io), options_(std::move(options)) {}

std::chrono::milliseconds RetryPolicy::backoff(int attempt_no, double jitter) const {
  const double base = static_cast<double>(options_.base_delay.count());
  const double cap = static_cast<double>(options_.max_delay.count());
  const double exp = base * static_cast<double>(1LL << std::min(attempt_no, 30));
  return std::chrono::milliseconds(static_cast<long long>(std::min(exp * jitter, cap)));
}

void RetryPolicy::send(Request request, Next next, ResponseCallback done) {
  attempt(std::move(request), std::move(next), std::move(done), 0);
}

void RetryPolicy::attempt(Request request, Next next, ResponseCallback done, int attempt_no) {
  Request copy = request;  // the lower policies may change their copy (auth header); resend the original
  next(std::move(copy), [this, request = std::move(request), next, done = std::move(done),
                         attempt_no](Result<Response> result) mutable {
    std::optional<std::chrono::milliseconds> server_delay;
    bool retry = false;
    std::string why;
    if (result) {
      const int status = result.value().status;
      if (options_.statuses.count(status)) {
        retry = true;
        why = "HTTP " + std::to_string(status);
        server_delay = retry_after(result.value().headers);
      }
    } else {
      retry = result.error().retryable && result.error().http_status == 0 &&
              result.error().code != errc::kCanceled;
      why = result.error().code;
    }
    if (!retry || attempt_no >= options_.max_retries) {
      done(std::move(result));
      return;
    }
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.8, 1.3);
    const auto delay = server_delay ? std::min(*server_delay, options_.max_server_delay)
                                    : backoff(attempt_no, jitter(rng));
    if (server_delay && *server_delay > delay)
      spdlog::warn("{} {} asked to retry after {} s (Retry-After); retrying after {} s, the cap on server-imposed waits",
                   request.method, request.url, server_delay->count() / 1000, delay.count() / 1000);
    spdlog::debug("retrying {} {} after {} ({} of {}) in {} ms", request.method, request.url, why, attempt_no + 1,
                  options_.max_retries, delay.count());
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
    timer->async_wait([this, timer, request = std::move(request), next, done = std::move(done),
                       attempt_no](const boost::system::error_code&) mutable {
      attempt(std::move(request), std::move(next), std::move(done), attempt_no + 1);
    });
  });
}

}  // namespace bai2aml::azure
