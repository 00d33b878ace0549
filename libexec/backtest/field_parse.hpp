// Field values of the backtest CSV files, each with the message a bad row
// reports.
#pragma once

#include "sim/decimal.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace execsim::backtest {

/// A whole number >= `min` ("100") that fits in 64 bits; `what` names it
/// in the error.
std::optional<std::int64_t> parse_count(std::string_view text,
                                        std::int64_t min, const char* what,
                                        std::string& error);

/// A field without control characters (an id, a trader, a symbol): a NUL
/// would cut it where it meets SQLite, a line break would split a report.
bool plain_field(std::string_view text, const char* what, std::string& error);

/// A price > 0 ("150.25", at most 9 decimals).
std::optional<decimal> parse_price(std::string_view text, const char* what,
                                   std::string& error);

} // namespace execsim::backtest
