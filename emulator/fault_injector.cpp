#include "emulator/fault_injector.hpp"

namespace bai2aml::emulator {

Fault FaultInjector::decide(bool write) {
  Fault f;
  if (rate_ <= 0) return f;
  std::lock_guard lock(mu_);
  if (std::uniform_real_distribution<double>(0, 1)(rng_) >= rate_) return f;
  switch (std::uniform_int_distribution<int>(0, 3)(rng_)) {
    case 0: f.kind = Fault::Kind::Status500; break;
    case 1: f.kind = Fault::Kind::Status503; break;
    case 2: f.kind = Fault::Kind::Status429; break;
    default: f.kind = Fault::Kind::Drop; break;
  }
  // A 429 is a refusal at the front door: it never follows an applied write.
  f.after_effect = write && f.kind != Fault::Kind::Status429 && std::uniform_int_distribution<int>(0, 1)(rng_) == 1;
  return f;
}

bool FaultInjector::fail_operation() {
  if (rate_ <= 0) return false;
  std::lock_guard lock(mu_);
  return std::uniform_real_distribution<double>(0, 1)(rng_) < rate_;
}

}  // namespace bai2aml::emulator
