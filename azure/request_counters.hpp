// Counts every HTTP request the pipeline sends, by method and status code, for the daemon's
// bai2aml_arm_requests_total{method,code} metric. Thread-safe: the daemon reads it from anywhere.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace bai2aml::azure {

class RequestCounters {
 public:
  // code: the HTTP status ("200", "429") or "error" when no response arrived.
  using Key = std::pair<std::string, std::string>;  // {method, code}

  void add(const std::string& method, const std::string& code);
  std::map<Key, std::uint64_t> snapshot() const;
  std::uint64_t count(const std::string& method, const std::string& code) const;
  std::uint64_t total() const;

 private:
  mutable std::mutex mutex_;
  std::map<Key, std::uint64_t> counts_;
};

}  // namespace bai2aml::azure
