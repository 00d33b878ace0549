// Reconciliation, the pure part: what the reconciler (actors/reconciler.hpp)
// knows about each order that ended STATUS_UNKNOWN, what one answer to its
// query means, and the `unknown_resolved` invariant over all of them.
//
// An answer is conclusive when it is `found`, or `not_found` for a query
// sent once every submit of the order has had time to land and show:
// at or after its last attempt's send time + submit_timeout + the venue's
// lookup_lag ("settled_at"). Anything else (failed, a network error, an
// early not_found) asks again after `interval`, up to `max_queries`.
#pragma once

#include "sim/decimal.hpp"
#include "sim/messages.hpp"
#include "sim/records.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace execsim {

struct order_state;
class exchange_ledger;

enum class reconcile_outcome : std::uint8_t { found, not_found, gave_up };

constexpr const char* to_string(reconcile_outcome x) noexcept {
  switch (x) {
    case reconcile_outcome::found: return "found";
    case reconcile_outcome::not_found: return "not_found";
    case reconcile_outcome::gave_up: return "gave_up";
  }
  return "?";
}

/// One order under reconciliation (one `reconciliations` row).
struct reconciliation {
  order_ix order = 0;
  std::string order_id;
  std::string idem_key;
  /// When the order's STATUS_UNKNOWN result was given.
  ns_t unknown_at = 0;
  /// A not_found answer to a query sent from here on rules the order out.
  ns_t settled_at = 0;
  /// The order's order.execution_failed event reached the reconciler.
  bool started = false;
  int queries = 0;
  /// When the latest query was sent.
  ns_t query_sent_at = 0;
  /// nullopt: not over (yet, or ever: the run ended first).
  std::optional<reconcile_outcome> outcome;
  std::uint64_t exchange_order = 0; // found: N of X-N
  std::optional<decimal> fill_price;
  ns_t ended_at = 0;
};

/// What one answer to query `r.queries` (sent at `sent_at`) means.
enum class reconcile_step : std::uint8_t { found, ruled_out, again, give_up };

reconcile_step judge_answer(const reconciler_config& cfg,
                            const reconciliation& r, const check_answer& a,
                            ns_t sent_at) noexcept;

/// The reconciliations of a run, in the order their results came.
class reconciliation_book {
public:
  /// Opens the reconciliation of `o`, whose STATUS_UNKNOWN result is given
  /// at `now`.
  reconciliation& open(order_ix ix, const order_state& o, ns_t now,
                       const scenario& sc);
  /// nullptr: the order is not reconciled.
  reconciliation* find(order_ix ix) noexcept;
  const std::vector<reconciliation>& all() const noexcept {
    return all_;
  }

private:
  std::vector<reconciliation> all_;
  std::map<order_ix, std::size_t> by_order_;
};

/// When faults have stopped for `r`: the later of its result and the end
/// of the last outage; the deadline is that + resolve_within.
ns_t resolve_deadline(const reconciler_config& cfg, const reconciliation& r,
                      ns_t last_outage_end) noexcept;

/// `unknown_resolved` over every reconciliation, at the end of the run:
/// each is resolved (found, or ruled out correctly) by its deadline.
std::vector<violation_row>
check_unknown_resolved(const reconciler_config& cfg,
                       const std::vector<reconciliation>& all,
                       ns_t last_outage_end, const exchange_ledger& ledger);

/// The recorded row of `r`.
reconciliation_row make_reconciliation_row(const reconciler_config& cfg,
                                           const reconciliation& r,
                                           ns_t last_outage_end);

} // namespace execsim
