// Result<T>: a value or an ArmError. Every asynchronous completion in azure/ carries one, so no
// exception ever crosses an async boundary.
#pragma once

#include <utility>
#include <variant>

#include "azure/arm_error.hpp"

namespace bai2aml::azure {

template <class T, class E = ArmError>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok() (value) / !ok() (error); std::bad_variant_access otherwise.
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace bai2aml::azure
