// Result<T>: a value or an ArmError. Every asynchronous completion in azure/ carries one, so no
// exception ever crosses an async boundary.
#pragma once

#include <stdexcept>
#include <utility>

#include "azure/arm_error.hpp"

namespace bai2aml::azure {

// T and E must be default-constructible. (Two members rather than a std::variant: GCC 12 reports
// false maybe-uninitialized warnings on copies out of a variant at -O2.)
template <class T, class E = ArmError>
class Result {
 public:
  Result(T value) : value_(std::move(value)), ok_(true) {}  // NOLINT: implicit by design
  Result(E error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }

  // Precondition: ok() (value) / !ok() (error); std::logic_error otherwise.
  const T& value() const& { return check(ok_), value_; }
  T& value() & { return check(ok_), value_; }
  T&& value() && { return check(ok_), std::move(value_); }
  const E& error() const { return check(!ok_), error_; }

 private:
  static void check(bool holds) {
    if (!holds) throw std::logic_error("Result: accessed the alternative it does not hold");
  }
  T value_{};
  E error_{};
  bool ok_;
};

}  // namespace bai2aml::azure
