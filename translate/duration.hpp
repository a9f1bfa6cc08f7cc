// Durations as Batch AI writes them (ISO 8601 "P7D", "PT6H30M", or the .NET form "7.00:00:00" the
// spec uses as maxWallClockTime's default) and as AML wants them (ISO 8601, whole seconds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bai2aml::translate {

// Whole seconds, or nullopt when the text is neither form (years and months are rejected: their
// length is not fixed). Fractional seconds are rounded up.
std::optional<std::int64_t> parse_duration_seconds(const std::string& text);

// Canonical ISO 8601: "P7D", "P2DT12H", "PT6H", "PT90S" -> "PT1M30S", 0 -> "PT0S".
std::string iso8601_duration(std::int64_t seconds);

}  // namespace bai2aml::translate
