// The simulated exchange's order book: orders by idempotency key, fills at
// the market price, resting limit orders, the duplicate-key policy.
// Exchange order ids are, ... in creation order.
#pragma once

#include "actors/messages.hpp"
#include "sim/records.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace execsim {

class market_model;

struct exchange_order {
  std::uint64_t id = 0; // N of X-N
  order_ix order = 0;
  std::string order_id; // the scenario's id
  std::string idem_key;
  std::string symbol;
  order_side side = order_side::buy;
  std::int64_t quantity = 0;
  std::optional<decimal> limit; // nullopt = market
  std::int64_t filled = 0;
  /// Fills of this order (several when it fills in parts).
  std::int64_t fill_count = 0;
  std::optional<decimal> last_fill_price;
  ns_t created_at = 0;
};

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
  check_answer check(const check_msg& msg) const;

  /// The oldest order with this key (nullptr: none), and how many there
  /// are: the per-order invariant checks, without building a vector.
  const exchange_order* first_with_key(const std::string& key,
                                       std::size_t* count = nullptr) const;

  /// Orders created with this key, oldest first (empty: none).
  std::vector<const exchange_order*> with_key(const std::string& key) const;

  /// Every order, in creation order. A deque: an order never moves, so a
  /// reference to one stays valid for the whole run.
  const std::deque<exchange_order>& orders() const noexcept {
    return orders_;
  }

  std::uint64_t fills() const noexcept {
    return fills_;
  }

private:
  exchange_order& create(ns_t now, const submit_msg& msg,
                         const order_spec& spec);
  void try_fill(ns_t now, exchange_order& o);
  submit_answer ack(const submit_msg& msg, const exchange_order& o) const;

  const exchange_config& config_;
  fill_sink on_fill_;
  market_model* market_ = nullptr;
  std::deque<exchange_order> orders_;
  // Lookup only (never iterated), so hash order cannot reach a trace.
  std::unordered_map<std::string, std::vector<std::uint64_t>> by_key_;
  std::uint64_t fills_ = 0;
};

} // namespace execsim
