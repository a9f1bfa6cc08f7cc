// Counts every ARM request by method and status, plus throttled and faulted ones (GET /_emulator/stats).
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace bai2aml::emulator {

class RequestStats {
 public:
  // status 0 = the connection was dropped without an answer.
  void record(const std::string& method, int status, bool throttled, bool faulted);
  nlohmann::json to_json() const;  // {"requests":{...},"status":{...},"throttled":n,"faults":n}
  void reset();

 private:
  mutable std::mutex mu_;
  std::map<std::string, long long> by_method_;
  std::map<std::string, long long> by_status_;
  long long throttled_ = 0;
  long long faults_ = 0;
};

}  // namespace bai2aml::emulator
