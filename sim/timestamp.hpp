// Timestamps of backtest input files: ISO 8601 in UTC or with an offset
// ("2025-10-17T14:30:00Z", "2025-10-17T14:30:00.123456789+02:00"), or
// integer nanoseconds since the Unix epoch ("1760711400000000000").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace execsim::backtest {

/// Nanoseconds since 1970-01-01T00:00:00Z. Not virtual time: a run maps
/// the earliest input timestamp to virtual 0.
using epoch_ns = std::int64_t;

/// Parses either form; nullopt and `error` (what was expected) otherwise.
/// Years 1970 to 2261 (what nanoseconds in 64 bits hold).
std::optional<epoch_ns> parse_timestamp(std::string_view text,
                                        std::string& error);

/// ISO 8601 in UTC: "2025-10-17T14:30:00Z", with .mmm, .uuuuuu or
/// .nnnnnnnnn only when the fraction needs them.
std::string format_timestamp(epoch_ns t);

} // namespace execsim::backtest
