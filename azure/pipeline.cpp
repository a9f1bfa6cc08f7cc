#include "azure/pipeline.hpp"

#include <stdexcept>

namespace bai2aml::azure {

void Next::operator()(Request request, ResponseCallback done) const {
  const auto& policy = (*chain_)[index_];
  policy->send(std::move(request), Next(chain_, index_ + 1), std::move(done));
}

Pipeline::Pipeline(std::vector<std::unique_ptr<Policy>> policies, std::unique_ptr<Transport> transport) {
  if (!transport) throw std::invalid_argument("Pipeline: a transport is required");
  for (const auto& p : policies) {
    if (!p) throw std::invalid_argument("Pipeline: null policy");
  }
  policies.push_back(std::move(transport));
  chain_ = std::make_shared<const PolicyChain>(std::move(policies));
}

void Pipeline::shutdown() const {
  for (const auto& policy : *chain_) policy->shutdown();
}

void Pipeline::send(Request request, ResponseCallback done) const {
  // The completion holds the chain too: a policy's continuation may run after every copy of this
  // Pipeline is gone, and it must find its policy alive.
  Next(chain_, 0)(std::move(request), [chain = chain_, done = std::move(done)](Result<Response> result) {
    done(std::move(result));
  });
}

}  // namespace bai2aml::azure
