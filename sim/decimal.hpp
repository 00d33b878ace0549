// Exact decimal prices: "150.25" stays 150.25, never a binary float.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace execsim {

/// A decimal number `mantissa * 10^-scale`, kept with the scale it was
/// written with so "150.50" prints as "150.50" again.
class decimal {
public:
  static constexpr int scale_max = 9;

  constexpr decimal() noexcept = default;
  constexpr decimal(std::int64_t mantissa, int scale) noexcept
    : mantissa_(mantissa), scale_(scale) {
  }

  /// Parses "150.25", "-3", "0.000001". No exponent, no sign of '+', at
  /// most `scale_max` decimals. Returns nullopt and sets `error` otherwise.
  static std::optional<decimal> parse(std::string_view text,
                                      std::string& error);

  std::int64_t mantissa() const noexcept {
    return mantissa_;
  }
  int scale() const noexcept {
    return scale_;
  }

  /// The value as text with its own scale ("150.25").
  std::string to_string() const;

  /// The value scaled to nanounits (10^-9): exact for every decimal parsed.
  std::int64_t nano() const noexcept;

  /// For statistics only (slippage, means); never for prices that are kept.
  double to_double() const noexcept;

  friend bool operator==(const decimal& a, const decimal& b) noexcept {
    return a.nano() == b.nano();
  }
  friend bool operator!=(const decimal& a, const decimal& b) noexcept {
    return !(a == b);
  }
  friend bool operator<(const decimal& a, const decimal& b) noexcept {
    return a.nano() < b.nano();
  }
  friend bool operator<=(const decimal& a, const decimal& b) noexcept {
    return !(b < a);
  }
  friend bool operator>(const decimal& a, const decimal& b) noexcept {
    return b < a;
  }
  friend bool operator>=(const decimal& a, const decimal& b) noexcept {
    return !(a < b);
  }

private:
  std::int64_t mantissa_ = 0;
  int scale_ = 0;
};

} // namespace execsim
