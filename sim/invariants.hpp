// The invariants checked on every run (scenario-format.md):
//   one_fill_per_key         no key has more than one order at the exchange,
//                            and no order is filled beyond its quantity;
//   terminal                 every order ends with exactly one result, and no
//                            executor event follows it;
//   result_matches_exchange  a failure (but STATUS_UNKNOWN) has no order at
//                            the exchange; a success has one;
//   distinct_keys            no two orders of the run use one idempotency
//                            key (the exchange would take them for one).
#pragma once

#include "sim/order_state.hpp"
#include "sim/records.hpp"
#include "sim/text_pool.hpp"
#include "sim/view_index.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace execsim {

class exchange_ledger;

/// Checked when the order is released: nothing of it travels any more, so
/// the exchange's view of its key is final.
std::optional<violation_row>
check_result_matches_exchange(const order_state& o, const exchange_ledger& book);

/// `terminal` for one released order: exactly one result.
std::optional<violation_row> check_one_result(const order_state& o);

/// The first order (by id) that used each idempotency key. Only looked up,
/// never walked, so its order never reaches a trace. A run keeps an entry
/// per order, so each is small: the key and the owner's id end to end in a
/// pool, 16 bytes to find them, 8 to 16 bytes of index (not two strings in
/// a hash node).
class key_owners {
public:
  /// The id of the order that chose `key` first; `order_id` when none did
  /// (that order is the key's owner from now on).
  std::string_view claim(std::string_view key, std::string_view order_id);

  std::size_t size() const noexcept {
    return owners_.size();
  }

private:
  struct owner {
    const char* text = ""; // the key, then the owner's id
    std::uint32_t key_size = 0;
    std::uint32_t id_size = 0;
    std::string_view key() const noexcept {
      return {text, key_size};
    }
    std::string_view id() const noexcept {
      return {text + key_size, id_size};
    }
  };
  std::deque<owner> owners_; // a deque: no copy of them all as it grows
  view_index index_;         // key -> 1 + its place in owners_
  text_pool pool_;
};

/// `distinct_keys` for an order whose key was just chosen (its first
/// submit): a violation when an earlier order of the run chose it too.
/// Records the order as the key's owner otherwise.
std::optional<violation_row> check_distinct_key(const order_state& o,
                                                key_owners& owners);

/// `one_fill_per_key` over the whole book, in creation order.
std::vector<violation_row> check_one_fill_per_key(const exchange_ledger& book);

} // namespace execsim
