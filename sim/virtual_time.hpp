// Virtual time: integer nanoseconds since the run started.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace execsim {

/// Nanoseconds of virtual time (or a span of it). Never a wall-clock reading.
using ns_t = std::int64_t;

constexpr ns_t ns_per_us = 1'000;
constexpr ns_t ns_per_ms = 1'000'000;
constexpr ns_t ns_per_s = 1'000'000'000;

/// Parses a duration with a unit: "250ms", "1s", "1.5s", "2m", "500us",
/// "20ns", "1h". A bare number, a negative value or an unknown unit is an
/// error: returns nullopt and sets `error` to what was expected.
std::optional<ns_t> parse_duration(std::string_view text, std::string& error);

/// Formats a span for people: "0s", "520ms", "4.56s", "1.5us", "20ns".
std::string format_duration(ns_t span);

/// Formats a span as seconds with three decimals: "4.560s".
std::string format_seconds(ns_t span);

} // namespace execsim
