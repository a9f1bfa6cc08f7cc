#include "emulator/request_stats.hpp"

namespace bai2aml::emulator {

void RequestStats::record(const std::string& method, int status, bool throttled, bool faulted) {
  std::lock_guard lock(mu_);
  ++by_method_[method];
  if (status > 0) ++by_status_[std::to_string(status)];
  if (throttled) ++throttled_;
  if (faulted) ++faults_;
}

nlohmann::json RequestStats::to_json() const {
  std::lock_guard lock(mu_);
  nlohmann::json requests = {{"GET", 0}, {"PUT", 0}, {"PATCH", 0}, {"DELETE", 0}, {"POST", 0}};
  for (const auto& [m, n] : by_method_) requests[m] = n;
  nlohmann::json status = nlohmann::json::object();
  for (const auto& [s, n] : by_status_) status[s] = n;
  return {{"requests", requests}, {"status", status}, {"throttled", throttled_}, {"faults", faults_}};
}

void RequestStats::reset() {
  std::lock_guard lock(mu_);
  by_method_.clear();
  by_status_.clear();
  throttled_ = faults_ = 0;
}

}  // namespace bai2aml::emulator
