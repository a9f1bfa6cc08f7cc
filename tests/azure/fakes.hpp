// Test doubles for the azure/ pipeline: a scripted ARM behind a FunctionTransport (answers are
// posted back onto the io_context, as the real transport does), a counting credential, a log
// capture and an environment override.
#pragma once

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "azure/credentials/token_credential.hpp"
#include "azure/pipeline.hpp"

namespace bai2aml::azure::test {

inline Response reply(int status, std::string body = "", Headers headers = {}) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

inline ArmError dropped() {
  ArmError e;
  e.code = errc::kConnectionError;
  e.message = "connection reset by peer";
  e.retryable = true;
  return e;
}

// Every request goes to handler; the requests are recorded (with their headers) for assertions.
class FakeServer {
 public:
  using Handler = std::function<Result<Response>(const Request&)>;
  FakeServer(boost::asio::io_context& io, Handler handler) : io_(io), handler_(std::move(handler)) {}

  std::unique_ptr<Transport> transport() {
    return std::make_unique<FunctionTransport>([this](Request request, ResponseCallback done) {
      requests.push_back(request);
      auto result = handler_(request);
      boost::asio::post(io_, [done = std::move(done), result = std::move(result)]() { done(result); });
    });
  }
  std::vector<Request> requests;

 private:
  boost::asio::io_context& io_;
  Handler handler_;
};

// Hands out "token-1", "token-2", ... and counts fetches.
class CountingCredential : public TokenCredential {
 public:
  std::string name() const override { return "counting"; }
  void get_token(const std::string&, bool force_refresh, TokenCallback done) override {
    if (force_refresh || current.empty()) current = "token-" + std::to_string(++fetches);
    done(AccessToken{current, std::chrono::steady_clock::now() + std::chrono::hours(1)});
  }
  int fetches = 0;
  std::string current;
};

// Runs io until done() holds (or nothing is left to run).
template <class Pred>
void run_until(boost::asio::io_context& io, Pred done) {
  io.restart();
  while (!done()) {
    if (io.run_one() == 0) break;
  }
}

// Captures every log line at debug level for the lifetime of the object.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string text() const { return stream_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream stream_;
};

// Sets (or, with nullopt, unsets) environment variables for the scope of the object.
class EnvironmentOverride {
 public:
  explicit EnvironmentOverride(const std::map<std::string, std::optional<std::string>>& vars) {
    for (const auto& [name, value] : vars) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
      if (value) setenv(name.c_str(), value->c_str(), 1);
      else unsetenv(name.c_str());
    }
  }
  ~EnvironmentOverride() {
    for (const auto& [name, value] : saved_) {
      if (value) setenv(name.c_str(), value->c_str(), 1);
      else unsetenv(name.c_str());
    }
  }
  EnvironmentOverride(const EnvironmentOverride&) = delete;
  EnvironmentOverride& operator=(const EnvironmentOverride&) = delete;

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace bai2aml::azure::test
