#include "sim/timestamp.hpp"

#include "sim/quoted.hpp"

#include <fmt/format.h>

namespace execsim::backtest {

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;
constexpr std::int64_t s_per_day = 86'400;
constexpr int year_min = 1970;
constexpr int year_max = 2261;

constexpr std::string_view expected_form =
  "expected ISO 8601 like 2025-10-17T14:30:00Z or "
  "2025-10-17T14:30:00.123456789Z (Z or an offset like +02:00), or integer "
  "nanoseconds since the Unix epoch";

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m,
                                       unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr civil civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool is_leap(std::int64_t y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

/// Reads exactly `n` digits at `i`; false if there are not that many.
bool digits(std::string_view s, std::size_t& i, std::size_t n,
            unsigned& out) noexcept {
  if (i + n > s.size())
    return false;
  unsigned v = 0;
  for (std::size_t k = 0; k < n; ++k, ++i) {
    if (!is_digit(s[i]))
      return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  out = v;
  return true;
}

bool expect_char(std::string_view s, std::size_t& i, char c) noexcept {
  if (i >= s.size() || s[i] != c)
    return false;
  ++i;
  return true;
}

std::optional<epoch_ns> parse_integer_ns(std::string_view text,
                                         std::string& error) {
  std::int64_t v = 0;
  for (char c : text) {
    if (v > (INT64_MAX - (c - '0')) / 10) {
      error = fmt::format("timestamp {} is out of range (integer nanoseconds "
                          "go up to {}, {})",
                          quoted(text), INT64_MAX,
                          format_timestamp(INT64_MAX));
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

/// Sets `error` to what was expected; always false.
bool bad_form(std::string_view text, std::string& error) {
  error = fmt::format("bad timestamp {}: {}", quoted(text), expected_form);
  return false;
}

std::optional<epoch_ns> bad(std::string_view text, std::string& error) {
  bad_form(text, error);
  return std::nullopt;
}

/// The fields of an ISO 8601 timestamp, as written.
struct iso_fields {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::int64_t fraction_ns = 0;
  std::int64_t offset_s = 0; // east of UTC
};

/// "YYYY-MM-DD" and the 'T' (or 't' or ' ') after it.
bool read_date(std::string_view text, std::size_t& i, iso_fields& f) {
  if (!digits(text, i, 4, f.year) || !expect_char(text, i, '-')
      || !digits(text, i, 2, f.month) || !expect_char(text, i, '-')
      || !digits(text, i, 2, f.day) || i >= text.size()
      || (text[i] != 'T' && text[i] != 't' && text[i] != ' '))
    return false;
  ++i;
  return true;
}

/// "hh:mm:ss".
bool read_time(std::string_view text, std::size_t& i, iso_fields& f) {
  return digits(text, i, 2, f.hour) && expect_char(text, i, ':')
         && digits(text, i, 2, f.minute) && expect_char(text, i, ':')
         && digits(text, i, 2, f.second);
}

/// An optional ".nnn" (1 to 9 digits); false with `error` set on a bad one.
bool read_fraction(std::string_view text, std::size_t& i, iso_fields& f,
                   std::string& error) {
  if (i >= text.size() || text[i] != '.')
    return true;
  ++i;
  std::int64_t scale = ns_per_s;
  std::size_t n = 0;
  while (i < text.size() && is_digit(text[i])) {
    if (++n > 9) {
      error = fmt::format("timestamp {} has more than 9 decimals "
                          "(nanoseconds are the finest)",
                          quoted(text));
      return false;
    }
    scale /= 10;
    f.fraction_ns += (text[i] - '0') * scale;
    ++i;
  }
  return n > 0 || bad_form(text, error);
}

/// "Z" or "+hh:mm" / "-hh:mm", then the end of the text.
bool read_zone(std::string_view text, std::size_t& i, iso_fields& f,
               std::string& error) {
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int sign = text[i] == '-' ? -1 : 1;
    ++i;
    unsigned oh = 0, om = 0;
    if (!digits(text, i, 2, oh) || !expect_char(text, i, ':')
        || !digits(text, i, 2, om) || oh > 23 || om > 59)
      return bad_form(text, error);
    f.offset_s = sign * static_cast<std::int64_t>(oh * 3600 + om * 60);
  } else {
    error = fmt::format("timestamp {} has no time zone (end it with Z "
                        "for UTC, or an offset like +02:00)",
                        quoted(text));
    return false;
  }
  return i == text.size() || bad_form(text, error);
}

/// Nanoseconds since the epoch of valid fields in range.
std::optional<epoch_ns> to_epoch(std::string_view text, const iso_fields& f,
                                 std::string& error) {
  if (f.month < 1 || f.month > 12 || f.day < 1
      || f.day > days_in_month(f.year, f.month) || f.hour > 23
      || f.minute > 59 || f.second > 59) {
    error = fmt::format("timestamp {} is not a valid date and time",
                        quoted(text));
    return std::nullopt;
  }
  if (static_cast<int>(f.year) < year_min
      || static_cast<int>(f.year) > year_max) {
    error = fmt::format("timestamp {}: the year must be between {} and {}",
                        quoted(text), year_min, year_max);
    return std::nullopt;
  }
  auto seconds = days_from_civil(f.year, f.month, f.day) * s_per_day
                 + f.hour * 3600 + f.minute * 60 + f.second - f.offset_s;
  if (seconds < 0) {
    error = fmt::format("timestamp {} is before 1970-01-01T00:00:00Z",
                        quoted(text));
    return std::nullopt;
  }
  return seconds * ns_per_s + f.fraction_ns;
}

} // namespace

std::optional<epoch_ns> parse_timestamp(std::string_view text,
                                        std::string& error) {
  if (text.empty()) {
    error = fmt::format("empty timestamp: {}", expected_form);
    return std::nullopt;
  }
  bool all_digits = true;
  for (char c : text)
    all_digits = all_digits && is_digit(c);
  if (all_digits)
    return parse_integer_ns(text, error);
  std::size_t i = 0;
  iso_fields f;
  if (!read_date(text, i, f) || !read_time(text, i, f))
    return bad(text, error);
  if (!read_fraction(text, i, f, error) || !read_zone(text, i, f, error))
    return std::nullopt;
  return to_epoch(text, f, error);
}

std::string format_timestamp(epoch_ns t) {
  auto seconds = t / ns_per_s;
  auto fraction = t % ns_per_s;
  if (fraction < 0) {
    fraction += ns_per_s;
    --seconds;
  }
  auto days = seconds / s_per_day;
  auto in_day = seconds % s_per_day;
  if (in_day < 0) {
    in_day += s_per_day;
    --days;
  }
  auto date = civil_from_days(days);
  auto text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", date.year,
                          date.month, date.day, in_day / 3600,
                          in_day / 60 % 60, in_day % 60);
  if (fraction % 1'000'000 == 0) {
    if (fraction != 0)
      text += fmt::format(".{:03}", fraction / 1'000'000);
  } else if (fraction % 1'000 == 0) {
    text += fmt::format(".{:06}", fraction / 1'000);
  } else {
    text += fmt::format(".{:09}", fraction);
  }
  return text + "Z";
}

} // namespace execsim::backtest
