// The HTTP pipeline: an ordered chain of policies ending in a transport (Azure SDK for C++ shape,
// asynchronous). Every policy runs on the owning io_context's single thread; a policy that waits
// does so on a steady_timer, never by sleeping.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "azure/http_types.hpp"
#include "azure/result.hpp"

namespace bai2aml::azure {

using ResponseCallback = std::function<void(Result<Response>)>;

class Policy;
using PolicyChain = std::vector<std::unique_ptr<Policy>>;

// The rest of the chain below the current policy. Copyable; keeps the chain alive while a call is
// in flight, so a policy may capture it in a timer handler.
class Next {
 public:
  Next(std::shared_ptr<const PolicyChain> chain, std::size_t index) : chain_(std::move(chain)), index_(index) {}
  void operator()(Request request, ResponseCallback done) const;

 private:
  std::shared_ptr<const PolicyChain> chain_;
  std::size_t index_;
};

class Policy {
 public:
  virtual ~Policy() = default;
  // Calls next zero or more times and done exactly once. A non-2xx HTTP answer is a Response
  // (ok result); an error result means no usable HTTP answer (transport, credential, client).
  virtual void send(Request request, Next next, ResponseCallback done) = 0;
  // Drops queued work (requests waiting in the policy, not yet sent) when the owner goes away, so
  // no reference cycle (queued request -> Next -> chain -> policy) outlives it.
  virtual void shutdown() {}
};

// The last element of every chain: sends the request over the network (or, in tests, to a fake).
class Transport : public Policy {};

class Pipeline {
 public:
  // policies run in the given order; the transport is appended last.
  Pipeline(std::vector<std::unique_ptr<Policy>> policies, std::unique_ptr<Transport> transport);
  void send(Request request, ResponseCallback done) const;
  void shutdown() const;  // Policy::shutdown on every policy

 private:
  std::shared_ptr<const PolicyChain> chain_;
};

// A transport forwarding every request to a function: the test double (Azure SDK's TestTransport).
class FunctionTransport : public Transport {
 public:
  using Handler = std::function<void(Request, ResponseCallback)>;
  explicit FunctionTransport(Handler handler) : handler_(std::move(handler)) {}
  void send(Request request, Next, ResponseCallback done) override { handler_(std::move(request), std::move(done)); }

 private:
  Handler handler_;
};

}  // namespace bai2aml::azure
