// What the venue holds: every order the exchange created, by idempotency
// key, in creation order. The exchange actor's book writes it; invariants,
// expectations and the run log read it. Exchange order ids are, ...
#pragma once

#include "sim/chunked_list.hpp"
#include "sim/key_owners.hpp"
#include "sim/messages.hpp"
#include "sim/scenario.hpp"
#include "sim/text_pool.hpp"
#include "sim/view_index.hpp"

#include "sim/assert.hpp"

#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace execsim {

/// An optional virtual time in 8 bytes (std::optional<ns_t> takes 16, and
/// a run keeps two per order): virtual time is never negative, so -1 is
/// "none".
class maybe_ns {
public:
  maybe_ns() = default;
  maybe_ns& operator=(ns_t t) noexcept {
    EXECSIM_ASSERT(t >= 0);
    t_ = t;
    return *this;
  }
  explicit operator bool() const noexcept {
    return t_ >= 0;
  }
  ns_t operator*() const noexcept {
    EXECSIM_ASSERT(t_ >= 0);
    return t_;
  }
  void reset() noexcept {
    t_ = -1;
  }

private:
  ns_t t_ = -1;
};

/// One order at the exchange. A run keeps every one of them (duplicate
/// checks, end-of-run invariants), so it is packed into 96 bytes: its key
/// and id are one pointer to a key_record (the key owners' or the
/// ledger's), its prices mantissa and scale, its optional times maybe_ns.
struct exchange_order {
  std::uint64_t id = 0; // N of X-N
  order_ix order = 0;
  /// The next order (N of X-N) created with the same key; 0: none yet.
  std::uint32_t next_with_key = 0;
  std::int64_t quantity = 0;
  std::int64_t filled = 0;
  ns_t created_at = 0;
  /// When it first filled (none: never).
  maybe_ns first_filled_at;
  /// When its last unit filled (none: still open). An order is live
  /// until then (no_duplicate_exposure).
  maybe_ns filled_up_at;

private:
  // Its key and order id: a key_record, the run's key owners' (shared:
  // the order's key is its own) or the ledger's pool.
  const char* text_ = key_record::empty;
  std::int64_t limit_mantissa_ = 0;
  std::int64_t fill_mantissa_ = 0;
  const std::string* symbol_ = nullptr; // one of the ledger's symbols

public:
  /// Fills of this order (several when it fills in parts).
  std::uint32_t fill_count = 0;

  order_side side() const noexcept {
    return sell_ ? order_side::sell : order_side::buy;
  }

  /// The scenario's id of the order that created it.
  std::string_view order_id() const noexcept {
    return key_record::id(text_);
  }
  std::string_view idem_key() const noexcept {
    return key_record::key(text_);
  }
  const std::string& symbol() const noexcept;
  /// nullopt = a market order.
  std::optional<decimal> limit() const noexcept {
    return unpack(limit_mantissa_, limit_scale_);
  }
  /// The price of its last fill (nullopt: none yet).
  std::optional<decimal> last_fill_price() const noexcept {
    return unpack(fill_mantissa_, fill_scale_);
  }
  void set_last_fill_price(const decimal& price) noexcept {
    EXECSIM_ASSERT(price.scale() >= 0 && price.scale() <= 127);
    fill_mantissa_ = price.mantissa();
    fill_scale_ = static_cast<std::int8_t>(price.scale());
  }

private:
  friend class exchange_ledger;
  static std::optional<decimal> unpack(std::int64_t m, std::int8_t scale) {
    if (scale < 0)
      return std::nullopt;
    return decimal{m, scale};
  }
  std::int8_t limit_scale_ = -1; // -1: none
  std::int8_t fill_scale_ = -1;  // -1: none
  bool sell_ = false;            // order_side in one byte
};

class exchange_ledger {
public:
  exchange_ledger() = default;
  // Orders point into the pool and the symbols; moving keeps the orders,
  // the chains and the pool's blocks where they are, a copy would not.
  exchange_ledger(const exchange_ledger&) = delete;
  exchange_ledger& operator=(const exchange_ledger&) = delete;
  exchange_ledger(exchange_ledger&&) = default;
  exchange_ledger& operator=(exchange_ledger&&) = default;

  /// Where an order's key and id are already kept (the run's key owners,
  /// which outlive the ledger): not kept twice, and the keys they number
  /// need no index of the ledger's. nullptr: the ledger keeps every text
  /// and every key itself.
  void share_texts(const key_owners* owners) noexcept {
    shared_ = owners;
  }

  /// A new order for `msg` (id = count so far + 1), created at `now`.
  exchange_order& create(ns_t now, const submit_msg& msg,
                         const order_spec& spec);

  /// The oldest order with this key (nullptr: none), and how many there
  /// are: the per-order invariant checks, without building a vector.
  const exchange_order* first_with_key(std::string_view key,
                                       std::size_t* count = nullptr) const;

  /// Orders created with this key, oldest first (empty: none).
  std::vector<const exchange_order*> with_key(std::string_view key) const;

  /// Every order, in creation order. An order never moves, so a
  /// reference to one stays valid for the whole run.
  const chunked_list<exchange_order>& orders() const noexcept {
    return orders_;
  }

private:
  /// A key's orders as a chain through next_with_key, oldest first.
  struct key_chain {
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    std::uint32_t count = 0;
  };
  /// 1 + the place of `key`'s chain in chains_; 0: not there.
  std::uint32_t chain_index(std::string_view key) const;
  /// The chain of `key` (nullptr: no order has it).
  const key_chain* chain_of(std::string_view key) const;
  /// The chain a new order of `key` joins (count 0: a new chain); `number`
  /// is the key's among shared_'s (0: none).
  key_chain& chain_to_extend(std::string_view key, std::uint32_t number);
  const std::string* symbol_named(const std::string& symbol);

  chunked_list<exchange_order> orders_;
  // Chains of keys shared_ numbers, by that number (a key chains where
  // its first order did: see chain_to_extend).
  std::deque<key_chain> shared_chains_;
  std::deque<key_chain> chains_; // the other keys', in the order they came
  // Key -> 1 + its chain's place in chains_; the key's text is its first
  // order's. Empty while every key came numbered.
  view_index by_key_;
  text_pool pool_; // texts not in shared_
  const key_owners* shared_ = nullptr;
  // The symbols a run trades, each once (a set's elements never move).
  std::set<std::string, std::less<>> symbols_;
};

} // namespace execsim
