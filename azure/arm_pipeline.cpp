#include "azure/arm_pipeline.hpp"

#include "azure/api_versions.hpp"
#include "azure/policies/bearer_token_policy.hpp"
#include "azure/policies/simple_policies.hpp"

namespace bai2aml::azure {

TransportOptions transport_options_for(const config::Azure& azure, std::chrono::seconds timeout) {
  TransportOptions o;
  o.timeout = timeout;
  o.allow_insecure_loopback = azure.allow_insecure_loopback;
  o.ca_file = azure.ca_file;
  // IMDS is plain http by design, on its link-local address only.
  if (azure.auth.method == config::AuthMethod::ManagedIdentity) {
    if (const auto url = parse_url(azure.auth.imds_endpoint); url && url->host == "169.254.169.254") {
      o.insecure_hosts.insert(url->host);
    }
  }
  return o;
}

Pipeline make_token_pipeline(boost::asio::io_context& io, const TransportOptions& transport_options,
                             const RetryOptions& retry, std::shared_ptr<RequestCounters> counters,
                             std::unique_ptr<Transport> transport) {
  std::vector<std::unique_ptr<Policy>> policies;
  policies.push_back(std::make_unique<RequestIdPolicy>());
  policies.push_back(std::make_unique<UserAgentPolicy>());
  policies.push_back(std::make_unique<RetryPolicy>(io, retry));
  policies.push_back(std::make_unique<LogPolicy>(std::move(counters)));
  if (!transport) transport = make_cpprest_transport(io, transport_options);
  return Pipeline(std::move(policies), std::move(transport));
}

Pipeline make_arm_pipeline(boost::asio::io_context& io, const TransportOptions& transport_options,
                           const RetryOptions& retry, const ThrottleOptions& throttle,
                           std::shared_ptr<TokenCredential> credential, std::shared_ptr<RequestCounters> counters,
                           std::unique_ptr<Transport> transport) {
  std::vector<std::unique_ptr<Policy>> policies;
  policies.push_back(std::make_unique<RequestIdPolicy>());
  policies.push_back(std::make_unique<UserAgentPolicy>());
  policies.push_back(std::make_unique<RetryPolicy>(io, retry));
  policies.push_back(std::make_unique<ThrottlePolicy>(io, throttle));
  policies.push_back(std::make_unique<BearerTokenPolicy>(std::move(credential), kArmScope, transport_options));
  policies.push_back(std::make_unique<LogPolicy>(std::move(counters)));
  if (!transport) transport = make_cpprest_transport(io, transport_options);
  return Pipeline(std::move(policies), std::move(transport));
}

}  // namespace bai2aml::azure
