// When will the migration be done at the pace measured so far? projected_completion() is the pure
// estimate; ProgressHistory keeps the recent (time, work remaining) samples it is computed from.
#pragma once

#include "daemon/cutoff.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace bai2aml::daemon {

struct ProgressSample {
  TimePoint at{};
  std::int64_t remaining = 0;  // resources still to reach their desired state (pending + failed)
};

// The time the remaining work reaches zero at the rate measured between the oldest and the newest
// sample, counted from the newest one (rounded down to whole seconds). Returns the newest sample's
// time when nothing remains; nullopt when there are fewer than two samples, they span no time, or the
// remaining work did not shrink (no measurable throughput, or new work arrived as fast as it was done).
std::optional<TimePoint> projected_completion(const std::deque<ProgressSample>& samples);

// "projected completion 2027-02-01T10:00:00Z is after the cutoff 2027-01-31T00:00:00Z" when the
// projection falls after the cutoff, nullopt otherwise (and when there is no projection).
std::optional<std::string> completion_after_cutoff_warning(const std::optional<TimePoint>& projected,
                                                           TimePoint cutoff);

// A sliding window of progress samples: the last `max_samples` within `max_age` of the newest one, so
// that the estimate follows the current pace (throttling, a slower region) rather than the whole past.
class ProgressHistory {
 public:
  explicit ProgressHistory(std::size_t max_samples = 30, std::chrono::seconds max_age = std::chrono::hours(1))
      : max_samples_(max_samples), max_age_(max_age) {}

  // Adds a sample (one per cycle). A sample older than the newest one (the wall clock stepped back)
  // clears the window first, since rates across a clock step are meaningless.
  void add(TimePoint at, std::int64_t remaining);
  const std::deque<ProgressSample>& samples() const { return samples_; }
  std::optional<TimePoint> projected_completion() const { return daemon::projected_completion(samples_); }

 private:
  std::size_t max_samples_;
  std::chrono::seconds max_age_;
  std::deque<ProgressSample> samples_;
};

}  // namespace bai2aml::daemon
