#include "sim/decimal.hpp"
#include "sim/quoted.hpp"

#include <fmt/format.h>

#include "sim/assert.hpp"
#include <cstdlib>

namespace execsim {

namespace {

constexpr std::int64_t pow10(int n) noexcept {
  std::int64_t r = 1;
  for (int i = 0; i < n; ++i)
    r *= 10;
  return r;
}

// Values beyond this cannot be scaled to nanounits in 64 bits.
constexpr std::int64_t whole_max = 9'000'000'000LL;

} // namespace

std::optional<decimal> decimal::parse(std::string_view text,
                                      std::string& error) {
  auto fail = [&] {
    error = fmt::format("bad decimal {} (expected digits with an "
                        "optional '.' and at most {} decimals, like "
                        "\"150.25\")",
                        quoted(text), scale_max);
    return std::nullopt;
  };
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  std::int64_t whole = 0;
  std::size_t whole_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    whole = whole * 10 + (text[i] - '0');
    if (whole > whole_max) {
      error = fmt::format("decimal {} is too large", quoted(text));
      return std::nullopt;
    }
    ++i;
    ++whole_digits;
  }
  if (whole_digits == 0)
    return fail();
  std::int64_t frac = 0;
  int scale = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (scale == scale_max)
        return fail();
      frac = frac * 10 + (text[i] - '0');
      ++scale;
      ++i;
    }
    if (scale == 0)
      return fail();
  }
  if (i != text.size())
    return fail();
  auto mantissa = whole * pow10(scale) + frac;
  return decimal{negative ? -mantissa : mantissa, scale};
}

std::string decimal::to_string() const {
  EXECSIM_ASSERT(scale_ >= 0 && scale_ <= scale_max);
  auto mag = mantissa_ < 0 ? -mantissa_ : mantissa_;
  const char* sign = mantissa_ < 0 ? "-" : "";
  if (scale_ == 0)
    return fmt::format("{}{}", sign, mag);
  auto div = pow10(scale_);
  return fmt::format("{}{}.{:0{}}", sign, mag / div, mag % div, scale_);
}

std::int64_t decimal::nano() const noexcept {
  EXECSIM_ASSERT(scale_ >= 0 && scale_ <= scale_max);
  return mantissa_ * pow10(scale_max - scale_);
}

double decimal::to_double() const noexcept {
  return static_cast<double>(mantissa_) / static_cast<double>(pow10(scale_));
}

} // namespace execsim
