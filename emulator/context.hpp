// Everything the handlers share: the options, the resource state and the cross-cutting services.
// Each member synchronizes itself.
#pragma once

#include <chrono>

#include "emulator/failure_rules.hpp"
#include "emulator/fault_injector.hpp"
#include "emulator/http_types.hpp"
#include "emulator/operation_tracker.hpp"
#include "emulator/options.hpp"
#include "emulator/rate_limiter.hpp"
#include "emulator/request_stats.hpp"
#include "emulator/resource_store.hpp"
#include "emulator/token_issuer.hpp"
#include "emulator/vm_catalog.hpp"

namespace bai2aml::emulator {

struct ArmPath;
struct ResourceKind;

struct Context {
  explicit Context(const Options& o)
      : options(o),
        tokens(std::chrono::seconds(o.token_ttl_seconds)),
        limiter({o.read_rate, o.read_burst}, {o.write_rate, o.write_burst}),
        faults(o.fault_rate, o.fault_seed ? o.fault_seed : std::random_device{}()) {}

  Options options;
  ResourceStore store;
  OperationTracker operations;
  QuotaTable quotas;
  TokenIssuer tokens;
  RateLimiter limiter;
  FaultInjector faults;
  FailureRules failures;  // PUT /_emulator/failures
  RequestStats stats;
};

// Handlers, one file each.
Response handle_resource_request(Context& ctx, const Request& req, const ArmPath& path);     // arm_resources.cpp
Response handle_operation_request(Context& ctx, const Request& req, const ArmPath& path);    // arm_operations.cpp
Response handle_location_request(Context& ctx, const Request& req, const ArmPath& path);     // locations_api.cpp
Response handle_admin_request(Context& ctx, const Request& req);                             // admin_api.cpp
Response handle_token_request(Context& ctx, const Request& req);                             // identity_api.cpp
Response handle_imds_request(Context& ctx, const Request& req);                              // identity_api.cpp

// Applies the effects of every long-running operation that is due (arm_operations.cpp).
void settle_operations(Context& ctx);
// Starts a long-running operation on `resource_id` and returns its id (arm_operations.cpp).
std::string start_operation(Context& ctx, const std::string& resource_id, KindId kind, Operation::Action action,
                            const std::string& location);
// Adds Azure-AsyncOperation / Location / Retry-After for operation `op_id` (arm_operations.cpp).
void add_operation_headers(const Context& ctx, const Request& req, Response& resp, const std::string& op_id,
                           Provider provider, const std::string& location, bool with_location);

}  // namespace bai2aml::emulator
