// What the venue holds: every order the exchange created, by idempotency
// key, in creation order. The exchange actor's book writes it; invariants,
// expectations and the run log read it. Exchange order ids are, ...
#pragma once

#include "sim/messages.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace execsim {

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
  /// When it first filled (nullopt: never).
  std::optional<ns_t> first_filled_at;
  /// When its last unit filled (nullopt: still open). An order is live
  /// until then (no_duplicate_exposure).
  std::optional<ns_t> filled_up_at;
  /// The next order (N of X-N) created with the same key; 0: none yet.
  std::uint64_t next_with_key = 0;
};

class exchange_ledger {
public:
  exchange_ledger() = default;
  // by_key_ views strings inside orders_: a copy would point into the
  // original. Moving keeps the deque's elements where they are.
  exchange_ledger(const exchange_ledger&) = delete;
  exchange_ledger& operator=(const exchange_ledger&) = delete;
  exchange_ledger(exchange_ledger&&) = default;
  exchange_ledger& operator=(exchange_ledger&&) = default;

  /// A new order for `msg` (id = count so far + 1), created at `now`.
  exchange_order& create(ns_t now, const submit_msg& msg,
                         const order_spec& spec);

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

private:
  /// A key's orders as a chain through next_with_key, oldest first.
  struct key_chain {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::size_t count = 0;
  };
  std::deque<exchange_order> orders_;
  // Lookup only (never iterated), so hash order cannot reach a trace. The
  // key is a view of its first order's idem_key, which never moves (a
  // deque) nor changes: a million orders' keys are stored once, not twice.
  std::unordered_map<std::string_view, key_chain> by_key_;
};

} // namespace execsim
