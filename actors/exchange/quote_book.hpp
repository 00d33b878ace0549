// The backtest market: the exchange fills against replayed quotes.
//
//   - The quote an order meets is the one current when it reaches the
//     exchange (quotes are applied up to that virtual time first).
//   - Market orders take the touch (buy at the ask, sell at the bid) up to
//     the displayed size; the rest waits for the next quotes.
//   - A limit order that is marketable on arrival (buy: ask <= limit; sell:
//     bid >= limit) fills at the touch like a market order; the rest rests
//     and fills at its own limit price when a later quote reaches it (ask at
//     or below a buy limit, bid at or above a sell limit).
//   - Displayed size is liquidity: what one order takes from a quote is
//     gone for the next order until a new quote of the symbol arrives.
//     Resting orders fill in arrival order.
//
// Memory: the current quote of each symbol, one quote read ahead, and the
// resting orders; never the quote history.
#pragma once

#include "actors/exchange/market_model.hpp"
#include "sim/quote.hpp"
#include "sim/decimal.hpp"
#include "sim/virtual_time.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace execsim {

class exchange_book;
class trace;

class quote_book final : public market_model {
public:
  using fill_observer =
    std::function<void(const exchange_order&, std::int64_t quantity,
                       const decimal& price, ns_t at)>;

  /// `quotes` is read as virtual time passes; a quote at `origin` is at
  /// virtual 0. Fills go to `book` and a line each to `tr`.
  quote_book(exchange_book& book, backtest::quote_stream& quotes,
             backtest::epoch_ns origin, trace& tr);

  void on_order(ns_t now, exchange_order& o) override;

  /// Applies every quote up to virtual time `now` (inclusive), filling
  /// resting orders as each quote comes. Never goes back.
  void advance_to(ns_t now);

  /// The current mid of `symbol` ((bid + ask) / 2), if it has a quote.
  std::optional<double> mid(const std::string& symbol) const;

  /// Virtual time of the next quote not applied yet; nullopt at the end.
  std::optional<ns_t> next_quote_at() const noexcept {
    if (!ahead_)
      return std::nullopt;
    return virtual_time(ahead_->ts);
  }

  /// Orders waiting for a later quote.
  std::size_t resting() const noexcept {
    return resting_;
  }

  std::uint64_t quotes_applied() const noexcept {
    return quotes_applied_;
  }

  /// Called for every fill, after the exchange recorded it.
  void on_fill(fill_observer f) {
    on_fill_ = std::move(f);
  }
  /// Called when an order starts resting (the market feed then follows the
  /// quotes: actors/market_feed.hpp).
  void on_rest(std::function<void()> f) {
    on_rest_ = std::move(f);
  }
  /// Called every `every` quotes applied (progress of long backtests).
  void on_progress(std::uint64_t every, std::function<void()> f) {
    progress_every_ = every;
    on_progress_ = std::move(f);
  }

private:
  struct symbol_state {
    backtest::quote current;
    bool quoted = false;
    // Displayed size not yet taken from the current quote.
    std::int64_t bid_left = 0;
    std::int64_t ask_left = 0;
    // In arrival order; the book never moves its orders.
    std::vector<exchange_order*> resting;
  };

  ns_t virtual_time(backtest::epoch_ns t) const noexcept {
    return t - origin_;
  }
  void read_ahead();
  void apply(const backtest::quote& q);
  /// Fills what `s`'s current quote gives `o`; `resting` orders fill a
  /// limit at the limit, arriving ones at the touch.
  void take(ns_t now, exchange_order& o, symbol_state& s, bool resting);

  exchange_book& book_;
  backtest::quote_stream& quotes_;
  backtest::epoch_ns origin_;
  trace& trace_;
  std::optional<backtest::quote> ahead_;
  ns_t applied_to_ = 0;
  // Few symbols; a sorted map keeps every walk over them deterministic.
  std::map<std::string, symbol_state, std::less<>> symbols_;
  std::size_t resting_ = 0;
  std::uint64_t quotes_applied_ = 0;
  fill_observer on_fill_;
  std::function<void()> on_rest_;
  std::function<void()> on_progress_;
  std::uint64_t progress_every_ = 0;
};

} // namespace execsim
