#include "emulator/operation_tracker.hpp"

#include <cstdio>
#include <ctime>
#include <random>

#include "emulator/arm_path.hpp"

namespace bai2aml::emulator {

const char* to_string(Operation::Status s) {
  switch (s) {
    case Operation::Status::InProgress: return "InProgress";
    case Operation::Status::Succeeded: return "Succeeded";
    case Operation::Status::Failed: return "Failed";
  }
  return "InProgress";
}

std::string rfc3339_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string OperationTracker::start(Operation op) {
  std::lock_guard lock(mu_);
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-a%03llx-%012llx", ++counter_ & 0xffffffffULL,
                static_cast<unsigned long long>(rng() & 0xffff), static_cast<unsigned long long>(rng() & 0xfff),
                static_cast<unsigned long long>(rng() & 0xfff), static_cast<unsigned long long>(rng() & 0xffffffffffffULL));
  op.id = buf;
  op.status = Operation::Status::InProgress;
  op.start_time = rfc3339_now();
  pending_.emplace(op.due, op.id);
  latest_[id_key(op.resource_id)] = op.id;
  ops_[op.id] = op;
  refresh_next_due();
  return op.id;
}

std::optional<Operation> OperationTracker::get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = ops_.find(id);
  if (it == ops_.end()) return std::nullopt;
  return it->second;
}

bool OperationTracker::any_due(Operation::Clock::time_point now) const {
  return now.time_since_epoch().count() >= next_due_.load(std::memory_order_relaxed);
}

std::vector<Operation> OperationTracker::take_due(Operation::Clock::time_point now) {
  std::lock_guard lock(mu_);
  std::vector<Operation> due;
  while (!pending_.empty() && pending_.begin()->first <= now) {
    due.push_back(ops_.at(pending_.begin()->second));
    pending_.erase(pending_.begin());
  }
  refresh_next_due();
  return due;
}

void OperationTracker::finish(const std::string& id, Operation::Status status) {
  std::lock_guard lock(mu_);
  auto it = ops_.find(id);
  if (it == ops_.end()) return;
  it->second.status = status;
  it->second.end_time = rfc3339_now();
}

bool OperationTracker::is_latest(const Operation& op) const {
  std::lock_guard lock(mu_);
  auto it = latest_.find(id_key(op.resource_id));
  return it != latest_.end() && it->second == op.id;
}

void OperationTracker::refresh_next_due() {
  next_due_.store(pending_.empty() ? std::numeric_limits<long long>::max()
                                   : pending_.begin()->first.time_since_epoch().count(),
                  std::memory_order_relaxed);
}

}  // namespace bai2aml::emulator
