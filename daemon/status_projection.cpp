#include "daemon/status_projection.hpp"

namespace bai2aml::daemon {

std::optional<TimePoint> projected_completion(const std::deque<ProgressSample>& samples) {
  if (samples.empty()) return std::nullopt;
  const ProgressSample& last = samples.back();
  if (last.remaining <= 0) return last.at;
  if (samples.size() < 2) return std::nullopt;
  const ProgressSample& first = samples.front();
  const double seconds = std::chrono::duration<double>(last.at - first.at).count();
  const auto done = static_cast<double>(first.remaining - last.remaining);
  if (seconds <= 0 || done <= 0) return std::nullopt;
  const double to_go = static_cast<double>(last.remaining) * seconds / done;
  if (to_go > 1e11) return std::nullopt;  // thousands of years: no meaningful date (and no overflow)
  return std::chrono::floor<std::chrono::seconds>(last.at) + std::chrono::seconds(static_cast<std::int64_t>(to_go));
}

std::optional<std::string> completion_after_cutoff_warning(const std::optional<TimePoint>& projected,
                                                           TimePoint cutoff) {
  if (!projected || *projected <= cutoff) return std::nullopt;
  return "projected completion " + format_rfc3339(*projected) + " is after the cutoff " + format_rfc3339(cutoff);
}

void ProgressHistory::add(TimePoint at, std::int64_t remaining) {
  if (!samples_.empty() && at < samples_.back().at) samples_.clear();
  samples_.push_back({at, remaining});
  while (samples_.size() > max_samples_ || (samples_.size() > 1 && at - samples_.front().at > max_age_))
    samples_.pop_front();
}

}  // namespace bai2aml::daemon
