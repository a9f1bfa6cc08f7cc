#include "azure/request_counters.hpp"

namespace bai2aml::azure {

void RequestCounters::add(const std::string& method, const std::string& code) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++counts_[{method, code}];
}

std::map<RequestCounters::Key, std::uint64_t> RequestCounters::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counts_;
}

std::uint64_t RequestCounters::count(const std::string& method, const std::string& code) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = counts_.find({method, code});
  return it == counts_.end() ? 0 : it->second;
}

std::uint64_t RequestCounters::total() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t n = 0;
  for (const auto& [key, value] : counts_) n += value;
  return n;
}

}  // namespace bai2aml::azure
