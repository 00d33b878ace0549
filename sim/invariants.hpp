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

#include "sim/key_owners.hpp"
#include "sim/order_state.hpp"
#include "sim/records.hpp"

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

/// `distinct_keys` for an order whose key was just chosen (its first
/// submit): a violation when an earlier order of the run chose it too.
/// Records the order as the key's owner otherwise.
std::optional<violation_row> check_distinct_key(const order_state& o,
                                                key_owners& owners);

/// `one_fill_per_key` over the whole book, in creation order.
std::vector<violation_row> check_one_fill_per_key(const exchange_ledger& book);

} // namespace execsim
