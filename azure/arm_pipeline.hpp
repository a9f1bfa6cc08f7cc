// Assembles the standard pipelines from the config: the ARM pipeline
// (request-id, user-agent, retry, throttle, bearer auth, log, transport) and the token pipeline the
// credentials use (request-id, user-agent, retry, log, transport).
#pragma once

#include <memory>

#include "azure/credentials/token_credential.hpp"
#include "azure/pipeline.hpp"
#include "azure/policies/retry_policy.hpp"
#include "azure/policies/throttle_policy.hpp"
#include "azure/request_counters.hpp"
#include "azure/transport.hpp"
#include "config/config.hpp"

namespace boost::asio {
class io_context;
}

namespace bai2aml::azure {

TransportOptions transport_options_for(const config::Azure& azure, std::chrono::seconds timeout);

// transport: nullptr for the real cpprestsdk transport; tests pass a FunctionTransport.
Pipeline make_token_pipeline(boost::asio::io_context& io, const TransportOptions& transport_options,
                             const RetryOptions& retry, std::shared_ptr<RequestCounters> counters,
                             std::unique_ptr<Transport> transport = nullptr);

Pipeline make_arm_pipeline(boost::asio::io_context& io, const TransportOptions& transport_options,
                           const RetryOptions& retry, const ThrottleOptions& throttle,
                           std::shared_ptr<TokenCredential> credential, std::shared_ptr<RequestCounters> counters,
                           std::unique_ptr<Transport> transport = nullptr);

}  // namespace bai2aml::azure
