// The small policies at the top and bottom of the chain.
#pragma once

#include <memory>
#include <string>

#include "azure/pipeline.hpp"
#include "azure/request_counters.hpp"

namespace bai2aml::azure {

// Sets x-ms-client-request-id (a random UUID) when absent, so every retry of one call carries the
// same id; copies it into Response::request_id.
class RequestIdPolicy : public Policy {
 public:
  void send(Request request, Next next, ResponseCallback done) override;
};

// User-Agent: bai2aml/<version>, built once.
class UserAgentPolicy : public Policy {
 public:
  UserAgentPolicy();
  void send(Request request, Next next, ResponseCallback done) override;

 private:
  std::string user_agent_;
};

// One debug line per HTTP request: method, URL, status (or error code), duration, client request id
// and ARM's x-ms-request-id. Never headers or bodies (tokens and secrets travel there). Counts the
// request in counters (optional).
class LogPolicy : public Policy {
 public:
  explicit LogPolicy(std::shared_ptr<RequestCounters> counters = nullptr) : counters_(std::move(counters)) {}
  void send(Request request, Next next, ResponseCallback done) override;

 private:
  std::shared_ptr<RequestCounters> counters_;
};

std::string new_uuid();  // random (v4) UUID, lower case

}  // namespace bai2aml::azure
