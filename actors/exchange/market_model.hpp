// The market an exchange fills against in backtest mode (quotes, see
// actors/quote_book.hpp) instead of scenario mode's fixed [exchange.prices].
#pragma once

#include "sim/virtual_time.hpp"

namespace execsim {

struct exchange_order;

class market_model {
public:
  virtual ~market_model() = default;

  /// A new order reached the exchange at `now`: fill what the market gives
  /// now (exchange_book::fill) and keep the rest to fill later. `o` stays
  /// valid for the whole run (the book never moves its orders).
  virtual void on_order(ns_t now, exchange_order& o) = 0;
};

} // namespace execsim
