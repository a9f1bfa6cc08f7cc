// Decides, per ARM request, whether to inject a fault (--fault-rate): a 500, 503 or 429 answer or a
// dropped connection. For writes the fault lands either before the write (nothing happened) or after it
// (the write took effect but the client never learns so), as with the real service.
#pragma once

#include <mutex>
#include <random>

namespace bai2aml::emulator {

struct Fault {
  enum class Kind { None, Status500, Status503, Status429, Drop } kind = Kind::None;
  bool after_effect = false;  // true: apply the request, then answer with the fault
  bool none() const { return kind == Kind::None; }
};

class FaultInjector {
 public:
  explicit FaultInjector(double rate, unsigned seed = std::random_device{}()) : rate_(rate), rng_(seed) {}
  Fault decide(bool write);
  // Whether a long-running operation ends Failed (same rate).
  bool fail_operation();
  double rate() const { return rate_; }

 private:
  double rate_;
  std::mutex mu_;
  std::mt19937 rng_;
};

}  // namespace bai2aml::emulator
