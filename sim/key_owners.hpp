// Each idempotency key of a run, once: its text and the id of the first
// order that chose it (the `distinct_keys` invariant), in a record that
// the exchange's ledger shares for the orders it creates. A run keeps one
// per order, so a million keys and ids are kept once, end to end in a
// pool, not as strings in two hash tables.
#pragma once

#include "sim/assert.hpp"
#include "sim/text_pool.hpp"
#include "sim/view_index.hpp"

#include <cstdint>
#include <cstring>
#include <deque>
#include <string_view>

namespace execsim {

/// A key's record in a pool: the key's size and the order id's (4 bytes
/// each, unaligned), then the key, then the id.
namespace key_record {

/// The record of an order made outside a ledger: both sizes 0.
inline constexpr char empty[8] = {};

const char* keep(text_pool& pool, std::string_view key, std::string_view id);

inline std::uint32_t size_at(const char* record, int at) noexcept {
  std::uint32_t n = 0;
  std::memcpy(&n, record + at, sizeof n); // the pool does not align
  return n;
}
inline std::string_view key(const char* record) noexcept {
  return {record + 8, size_at(record, 0)};
}
inline std::string_view id(const char* record) noexcept {
  return {record + 8 + size_at(record, 0), size_at(record, 4)};
}

} // namespace key_record

/// The first order (by id) that used each idempotency key. Only looked up,
/// never walked, so its order never reaches a trace.
class key_owners {
public:
  /// The id of the order that chose `key` first; `order_id` when none did
  /// (that order is the key's owner from now on).
  std::string_view claim(std::string_view key, std::string_view order_id);

  /// 1 + the key's place among the keys chosen so far (its number); 0:
  /// not chosen yet. A key keeps its number for the whole run.
  std::uint32_t number_of(std::string_view key) const;

  /// The record (key_record) of key number `n` (>= 1).
  const char* record(std::uint32_t n) const noexcept {
    EXECSIM_ASSERT(n >= 1 && n <= owners_.size());
    return owners_[n - 1];
  }

  std::size_t size() const noexcept {
    return owners_.size();
  }

private:
  std::deque<const char*> owners_; // records; a deque: no copy as it grows
  view_index index_;               // key -> 1 + its place in owners_
  text_pool pool_;
};

} // namespace execsim
