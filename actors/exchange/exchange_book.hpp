// The simulated exchange's order book: orders by idempotency key, fills at
// the market price, resting limit orders, the duplicate-key policy.
// Exchange order ids are, ... in creation order.
#pragma once

#include "sim/exchange_ledger.hpp"
#include "sim/records.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace execsim {

class market_model;


/// The exchange's answer rejecting `msg` with `code`, creating nothing.
submit_answer rejected_answer(const submit_msg& msg, std::string code);

class exchange_book {
public:
  /// Called for every fill, in the order they happen.
  using fill_sink = std::function<void(const fill_row&)>;

  exchange_book(const exchange_config& config, fill_sink on_fill);

  /// Backtest mode: new orders fill against `market` instead of
  /// [exchange.prices]. Not owned; nullptr (the default) = scenario mode.
  void set_market(market_model* market) noexcept {
    market_ = market;
  }

  /// Records a fill of `quantity` of `o` at `price` (scenario mode's fills
  /// and a market model's).
  void fill(ns_t now, exchange_order& o, std::int64_t quantity,
            const decimal& price);

  /// A submit that reached the exchange at `now`.
  submit_answer submit(ns_t now, const submit_msg& msg,
                       const order_spec& spec);

  /// A duplicate check that reached the exchange at `now`.
  check_answer check(ns_t now, const check_msg& msg) const;

  /// The ledger's orders share their texts with `owners` (see
  /// exchange_ledger::share_texts).
  void share_texts(const key_owners* owners) noexcept {
    ledger_.share_texts(owners);
  }

  /// Every order this book created, for the checks that read them.
  const exchange_ledger& ledger() const noexcept {
    return ledger_;
  }

  std::uint64_t fills() const noexcept {
    return fills_;
  }

private:
  /// Whether the exchange still knows `o` by its key at `now` (key_ttl).
  bool remembers_key(ns_t now, const exchange_order& o) const;
  /// The oldest order with `key` that its own duplicate detection sees
  /// (`for_check` = false) or a status query sees (true: also lookup_lag).
  const exchange_order* known_by_key(ns_t now, const std::string& key,
                                     bool for_check) const;
  void try_fill(ns_t now, exchange_order& o);
  submit_answer ack(const submit_msg& msg, const exchange_order& o) const;

  const exchange_config& config_;
  fill_sink on_fill_;
  market_model* market_ = nullptr;
  exchange_ledger ledger_;
  std::uint64_t fills_ = 0;
};

} // namespace execsim
