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
};

class exchange_ledger {
public:
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
  std::deque<exchange_order> orders_;
  // Lookup only (never iterated), so hash order cannot reach a trace.
  std::unordered_map<std::string, std::vector<std::uint64_t>> by_key_;
};

} // namespace execsim
