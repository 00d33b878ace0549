#include "sim/virtual_time.hpp"
#include "sim/wide_int.hpp"

#include "sim/quoted.hpp"

#include <fmt/format.h>

#include "sim/assert.hpp"
#include <limits>

namespace execsim {

namespace {

struct unit_def {
  std::string_view name;
  ns_t ns;
};

// Longest names first so "ms" is not read as "m" + "s".
constexpr unit_def units[] = {{"ns", 1},         {"us", ns_per_us},
                              {"ms", ns_per_ms}, {"s", ns_per_s},
                              {"m", 60 * ns_per_s}, {"h", 3600 * ns_per_s}};

constexpr std::string_view expected_form =
  "expected a duration with a unit, like \"250ms\", \"1.5s\", \"2m\", "
  "\"500us\" or \"20ns\"";

} // namespace

std::optional<ns_t> parse_duration(std::string_view text, std::string& error) {
  std::size_t i = 0;
  std::uint64_t whole = 0;
  std::size_t whole_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > 1'000'000'000'000ULL) {
      error = fmt::format("duration {} is too large", quoted(text));
      return std::nullopt;
    }
    whole = whole * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
    ++whole_digits;
  }
  // Fraction kept as an exact ratio: frac_num / frac_den.
  std::uint64_t frac_num = 0;
  std::uint64_t frac_den = 1;
  std::size_t frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (frac_digits == 9) {
        error = fmt::format("duration {} has more than 9 decimals", quoted(text));
        return std::nullopt;
      }
      frac_num = frac_num * 10 + static_cast<std::uint64_t>(text[i] - '0');
      frac_den *= 10;
      ++i;
      ++frac_digits;
    }
    if (frac_digits == 0) {
      error = fmt::format("bad duration {}: {}", quoted(text), expected_form);
      return std::nullopt;
    }
  }
  if (whole_digits == 0) {
    error = fmt::format("bad duration {}: {}", quoted(text), expected_form);
    return std::nullopt;
  }
  auto unit_text = text.substr(i);
  if (unit_text.empty()) {
    error = fmt::format("duration {} has no unit: {}", quoted(text), expected_form);
    return std::nullopt;
  }
  for (const auto& u : units) {
    if (unit_text != u.name)
      continue;
    auto total = static_cast<int128_t>(whole) * u.ns
                 + static_cast<int128_t>(frac_num) * u.ns / frac_den;
    if (static_cast<int128_t>(frac_num) * u.ns % frac_den != 0) {
      error = fmt::format("duration {} is not a whole number of "
                          "nanoseconds",
                          quoted(text));
      return std::nullopt;
    }
    if (total > std::numeric_limits<ns_t>::max() / 4) {
      error = fmt::format("duration {} is too large", quoted(text));
      return std::nullopt;
    }
    return static_cast<ns_t>(total);
  }
  error = fmt::format("duration {} has unknown unit {}: {}", quoted(text),
                      quoted(unit_text), expected_form);
  return std::nullopt;
}

std::string format_duration(ns_t span) {
  if (span == 0)
    return "0s";
  const char* sign = span < 0 ? "-" : "";
  auto mag = static_cast<std::uint64_t>(span < 0 ? -span : span);
  auto with_unit = [&](std::uint64_t per, const char* unit) {
    auto whole = mag / per;
    auto frac = mag % per;
    if (frac == 0)
      return fmt::format("{}{}{}", sign, whole, unit);
    auto digits = fmt::format("{:0{}}", frac, per == 1000 ? 3
                                              : per == 1'000'000 ? 6
                                                                 : 9);
    while (!digits.empty() && digits.back() == '0')
      digits.pop_back();
    return fmt::format("{}{}.{}{}", sign, whole, digits, unit);
  };
  if (mag >= static_cast<std::uint64_t>(ns_per_s))
    return with_unit(ns_per_s, "s");
  if (mag >= static_cast<std::uint64_t>(ns_per_ms))
    return with_unit(ns_per_ms, "ms");
  if (mag >= static_cast<std::uint64_t>(ns_per_us))
    return with_unit(ns_per_us, "us");
  return fmt::format("{}{}ns", sign, mag);
}

std::string format_seconds(ns_t span) {
  EXECSIM_ASSERT(span >= 0);
  return fmt::format("{}.{:03}s", span / ns_per_s, (span % ns_per_s) / ns_per_ms);
}

} // namespace execsim
