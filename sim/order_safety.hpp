// The two order-safety invariants stronger than one_fill_per_key, checked
// on every run (docs/scenarios.md, "Invariants"):
//   no_orphan_fill         every exchange order of a key is the one the
//                          executor's success names, or is reconciled;
//   no_duplicate_exposure  at no virtual time are two orders of one key
//                          live (open) at the exchange at once.
// Each reports only what no older invariant reports for the same key, so a
// file that expects one_fill_per_key, terminal or result_matches_exchange
// sees the same violations as before (see the docs for the boundaries).
#pragma once

#include "sim/order_state.hpp"
#include "sim/records.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

namespace execsim {

class exchange_ledger;

/// Exchange orders (N of X-N) a reconciler has accounted for: no result
/// names them, yet they are no orphans. The hook for a reconciler; empty
/// while none runs. Ordered, so it never brings hash order into a report.
using reconciled_orders = std::set<std::uint64_t>;

/// `no_orphan_fill` for one released order (its key's exchange orders are
/// final then). A violation when the order reported success naming an
/// order other than the exchange's only order for its key, and that order
/// is not reconciled. Keys with two or more orders are one_fill_per_key's;
/// a failure with an order is result_matches_exchange's (STATUS_UNKNOWN:
/// flagged for reconciliation); no result is terminal's.
std::optional<violation_row>
check_no_orphan_fill(const order_state& o, const exchange_ledger& book,
                     const reconciled_orders& reconciled);

/// `no_duplicate_exposure` over the whole book: an order is live from its
/// creation until it is fully filled (the venue neither cancels nor
/// expires orders). Reported once per key, at the first order created
/// while an earlier one of its key was live, in creation order.
std::vector<violation_row>
check_no_duplicate_exposure(const exchange_ledger& book);

} // namespace execsim
