#include "libexec/backtest/field_parse.hpp"

#include "sim/plain_text.hpp"
#include "sim/quoted.hpp"

#include <fmt/format.h>

#include <limits>

namespace execsim::backtest {

std::optional<std::int64_t> parse_count(std::string_view text,
                                        std::int64_t min, const char* what,
                                        std::string& error) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  std::int64_t v = 0;
  bool digits = !text.empty();
  bool in_range = true;
  for (char c : text) {
    if (c < '0' || c > '9') {
      digits = false;
      break;
    }
    if (v > (max - (c - '0')) / 10)
      in_range = false; // keep looking: "99...9x" is not a number at all
    else
      v = v * 10 + (c - '0');
  }
  if (digits && !in_range) {
    error = fmt::format("{} {} is out of range (at most {})", what,
                        quoted(text), max);
    return std::nullopt;
  }
  if (!digits || v < min) {
    error = fmt::format("{} {} is not a whole number >= {}", what,
                        quoted(text), min);
    return std::nullopt;
  }
  return v;
}

std::optional<decimal> parse_price(std::string_view text, const char* what,
                                   std::string& error) {
  std::string why;
  auto v = decimal::parse(text, why);
  if (!v) {
    error = fmt::format("{} {}: {}", what, quoted(text), why);
    return std::nullopt;
  }
  if (v->mantissa() <= 0) {
    error = fmt::format("{} {} must be greater than 0", what, quoted(text));
    return std::nullopt;
  }
  return v;
}

bool plain_field(std::string_view text, const char* what,
                 std::string& error) {
  auto bad = control_char_message(
    text, {}, "not allowed in ids, traders and symbols");
  if (!bad)
    return true;
  error = fmt::format("{}: {}", what, *bad);
  return false;
}

} // namespace execsim::backtest
