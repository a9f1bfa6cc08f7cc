#include "daemon/progress_line.hpp"

#include <cstdio>

namespace bai2aml::daemon {

const char* to_string(PassStage s) {
  switch (s) {
    case PassStage::Idle: return "idle";
    case PassStage::ReadingSource: return "reading source";
    case PassStage::Translating: return "translating";
    case PassStage::Observing: return "observing";
    case PassStage::Planning: return "planning";
    case PassStage::Executing: return "executing";
    case PassStage::Recording: return "recording";
  }
  return "idle";
}

std::optional<std::chrono::seconds> estimate_remaining(const PassProgress& p, std::chrono::steady_clock::time_point now) {
  const auto left = p.writes_planned - p.writes_done;
  if (p.stage != PassStage::Executing || p.writes_done <= 0 || left <= 0) return std::nullopt;
  const auto elapsed = std::chrono::duration<double>(now - p.executing_since).count();
  if (elapsed <= 0) return std::nullopt;
  const double per_write = elapsed / static_cast<double>(p.writes_done);
  return std::chrono::seconds(static_cast<std::int64_t>(per_write * static_cast<double>(left) + 0.5));
}

std::string short_duration(std::chrono::seconds d) {
  const auto s = d.count() < 0 ? 0 : d.count();
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  else std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(s / 3600), static_cast<long long>((s % 3600) / 60));
  return buf;
}

std::string progress_line(const PassProgress& p, std::uint64_t throttled, std::chrono::steady_clock::time_point now) {
  std::string line = "pass " + std::to_string(p.cycle) + " " + to_string(p.stage);
  if (p.total > 0 || p.stage == PassStage::Executing || p.stage == PassStage::Recording) {
    line += ": " + std::to_string(p.in_sync) + "/" + std::to_string(p.total) + " in sync";
    if (p.failed) line += ", " + std::to_string(p.failed) + " failed";
    if (p.blocked) line += ", " + std::to_string(p.blocked) + " blocked";
    line += "; writes " + std::to_string(p.writes_done) + "/" + std::to_string(p.writes_planned) + ", " +
            std::to_string(p.in_flight) + " in flight";
  }
  if (throttled) line += "; " + std::to_string(throttled) + " throttled";
  if (const auto eta = estimate_remaining(p, now)) line += "; ETA " + short_duration(*eta);
  return line;
}

}  // namespace bai2aml::daemon
