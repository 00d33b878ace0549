// Deterministic synthetic backtest data, so tests and examples need no
// downloaded files. Same parameters => the same bytes, on every platform
// (sim/rng.hpp draws, integer prices in cents, no floating point).
//
// Market: every `interval` one quote per symbol (in the order given); the
// bid of each symbol walks by -3..+3 cents a quote from a start in
// 50.00..500.00 (never below 1.00); the spread is 1..3 cents; sizes are
// 100..1000 in lots of 100.
//
// Orders: spread evenly over the market's time span (one per slot, at a
// random point in it); symbol random among those quoted so far; buy or
// sell; 100..2000 in lots of 100; half market orders, half limit orders
// priced from the touch: a buy limit at ask - 5 .. ask + 2 cents (so some
// are marketable on arrival, some rest and fill later, some never fill),
// a sell limit symmetric around the bid.
#pragma once

#include "sim/quote.hpp"
#include "sim/rng.hpp"
#include "sim/virtual_time.hpp"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace execsim::backtest {

struct market_params {
  std::vector<std::string> symbols = {"AAPL", "MSFT"};
  std::uint64_t rows = 1000;
  std::uint64_t seed = 1;
  epoch_ns start = 1'760'711'400'000'000'000; // 2025-10-17T14:30:00Z
  ns_t interval = 100 * ns_per_ms;
};

class market_generator final : public quote_stream {
public:
  explicit market_generator(market_params p);
  bool next(quote& q) override;

private:
  market_params p_;
  std::uint64_t row_ = 0;
  rng_sequence rng_;
  std::vector<std::int64_t> bid_cents_;
};

struct order_params {
  std::uint64_t orders = 100;
  std::uint64_t seed = 1;
};

/// Opens a fresh stream over the same quotes (orders need two passes).
using quote_source = std::function<std::unique_ptr<quote_stream>()>;

/// Writes the market CSV (header and rows). False and `error` if writing
/// failed.
bool write_market_csv(quote_stream& quotes, std::FILE* out,
                      std::string& error);

/// Writes an order CSV matching the quotes of `source`. False and `error`
/// if writing failed or the quotes could not be read.
bool write_orders_csv(const quote_source& source, const order_params& p,
                      std::FILE* out, std::string& error);

} // namespace execsim::backtest
