// Long-running operations: each write that ARM answers asynchronously gets an operation that reaches its
// terminal state --lro-ms after it started. Completion is lazy: every request first settles the operations
// that are due, so no timer thread is needed and the outcome is the same whoever looks first.
#pragma once

#include <atomic>
#include <limits>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "emulator/resource_kind.hpp"

namespace bai2aml::emulator {

struct Operation {
  using Clock = std::chrono::steady_clock;
  enum class Action { Create, Update, Delete, Cancel, Terminate };
  enum class Status { InProgress, Succeeded, Failed };

  std::string id;
  std::string resource_id;
  KindId kind{};
  Action action{};
  std::string location;  // lower case, for the operation URLs
  std::string start_time;  // RFC 3339
  std::string end_time;    // RFC 3339, once terminal
  Clock::time_point due;
  bool will_fail = false;
  Status status = Status::InProgress;
};

const char* to_string(Operation::Status s);  // "InProgress", "Succeeded", "Failed"

class OperationTracker {
 public:
  std::string start(Operation op);  // assigns and returns the id
  std::optional<Operation> get(const std::string& id) const;
  bool any_due(Operation::Clock::time_point now) const;
  // Removes the due operations from the pending set and returns them; the caller applies their effects
  // and then calls finish(), so no one sees "Succeeded" before the effect is visible.
  std::vector<Operation> take_due(Operation::Clock::time_point now);
  void finish(const std::string& id, Operation::Status status);
  // Whether `op` is still the newest operation started on its resource (an older one, overtaken by a
  // later write, must not apply its effect).
  bool is_latest(const Operation& op) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Operation> ops_;
  std::multimap<Operation::Clock::time_point, std::string> pending_;
  std::map<std::string, std::string> latest_;  // lower-cased resource id -> newest operation id
  std::atomic<long long> next_due_{std::numeric_limits<long long>::max()};
  unsigned long long counter_ = 0;
  void refresh_next_due();
};

std::string rfc3339_now();

}  // namespace bai2aml::emulator
