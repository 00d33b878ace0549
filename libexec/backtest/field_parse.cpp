#include "libexec/backtest/field_parse.hpp"

#include <fmt/format.h>

#include <limits>

namespace execsim::backtest {

std::optional<std::int64_t> parse_count(std::string_view text,
                                        std::int64_t min, const char* what,
                                        std::string& error) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  std::int64_t v = 0;
  bool ok = !text.empty();
  for (char c : text) {
    if (c < '0' || c > '9' || v > (max - 9) / 10) {
      ok = false;
      break;
    }
    v = v * 10 + (c - '0');
  }
  if (!ok || v < min) {
    error = fmt::format("{} \"{}\" is not a whole number >= {}", what, text,
                        min);
    return std::nullopt;
  }
  return v;
}

std::optional<decimal> parse_price(std::string_view text, const char* what,
                                   std::string& error) {
  std::string why;
  auto v = decimal::parse(text, why);
  if (!v) {
    error = fmt::format("{} \"{}\": {}", what, text, why);
    return std::nullopt;
  }
  if (v->mantissa() <= 0) {
    error = fmt::format("{} \"{}\" must be greater than 0", what, text);
    return std::nullopt;
  }
  return v;
}

} // namespace execsim::backtest
