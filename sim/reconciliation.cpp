#include "sim/reconciliation.hpp"

#include "sim/exchange_ledger.hpp"
#include "sim/order_state.hpp"

#include "sim/assert.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace execsim {

reconcile_step judge_answer(const reconciler_config& cfg,
                            const reconciliation& r, const check_answer& a,
                            ns_t sent_at) noexcept {
  EXECSIM_ASSERT(r.queries >= 1 && r.queries <= cfg.max_queries);
  if (a.status == check_status::found)
    return reconcile_step::found;
  // Too early a not_found may only mean the venue does not show it yet.
  if (a.status == check_status::not_found && sent_at >= r.settled_at)
    return reconcile_step::ruled_out;
  return r.queries >= cfg.max_queries ? reconcile_step::give_up
                                      : reconcile_step::again;
}

reconciliation& reconciliation_book::open(order_ix ix, const order_state& o,
                                          ns_t now, const scenario& sc) {
  EXECSIM_ASSERT(by_order_.count(ix) == 0); // one result, one reconciliation
  reconciliation r;
  r.order = ix;
  r.order_id = o.spec.id;
  r.idem_key = o.idem_key;
  r.unknown_at = now;
  ns_t last_sent = o.attempts.empty() ? o.started_at : o.attempts.back().sent_at;
  r.settled_at = last_sent + sc.executor.submit_timeout + sc.exchange.lookup_lag;
  by_order_.emplace(ix, all_.size());
  all_.push_back(std::move(r));
  return all_.back();
}

reconciliation* reconciliation_book::find(order_ix ix) noexcept {
  auto i = by_order_.find(ix);
  return i == by_order_.end() ? nullptr : &all_[i->second];
}

ns_t resolve_deadline(const reconciler_config& cfg, const reconciliation& r,
                      ns_t last_outage_end) noexcept {
  return std::max(r.unknown_at, last_outage_end) + cfg.resolve_within;
}

namespace {

std::optional<std::string> unresolved_why(const reconciler_config& cfg,
                                          const reconciliation& r,
                                          ns_t last_outage_end,
                                          const exchange_ledger& ledger) {
  if (!r.outcome)
    return r.started ? fmt::format("not resolved when the run ended ({} "
                                   "queries)",
                                   r.queries)
                     : std::string{"never reconciled: its "
                                   "order.execution_failed event did not "
                                   "reach the reconciler"};
  if (*r.outcome == reconcile_outcome::gave_up)
    return fmt::format("gave up after {} queries (max_queries) at {}: the "
                       "order is still STATUS_UNKNOWN",
                       r.queries, format_duration(r.ended_at));
  const auto* held = ledger.first_with_key(r.idem_key);
  if (*r.outcome == reconcile_outcome::not_found && held != nullptr)
    return fmt::format("ruled out (not_found) at {} but the exchange holds "
                       "{} (filled {} of {})",
                       format_duration(r.ended_at), exchange_order_name(held->id),
                       held->filled, held->quantity);
  auto deadline = resolve_deadline(cfg, r, last_outage_end);
  if (r.ended_at > deadline)
    return fmt::format("resolved ({}) at {}, after its deadline {} "
                       "(resolve_within {} once faults stopped at {})",
                       to_string(*r.outcome), format_duration(r.ended_at),
                       format_duration(deadline),
                       format_duration(cfg.resolve_within),
                       format_duration(deadline - cfg.resolve_within));
  return std::nullopt;
}

} // namespace

std::vector<violation_row>
check_unknown_resolved(const reconciler_config& cfg,
                       const std::vector<reconciliation>& all,
                       ns_t last_outage_end, const exchange_ledger& ledger) {
  std::vector<violation_row> out;
  for (const auto& r : all)
    if (auto why = unresolved_why(cfg, r, last_outage_end, ledger))
      out.push_back({"unknown_resolved", r.order_id, std::move(*why)});
  return out;
}

reconciliation_row make_reconciliation_row(const reconciler_config& cfg,
                                           const reconciliation& r,
                                           ns_t last_outage_end) {
  reconciliation_row row;
  row.order_id = r.order_id;
  row.queries = r.queries;
  if (r.outcome) {
    row.outcome = to_string(*r.outcome);
    row.ended_at_ns = r.ended_at;
  }
  if (r.exchange_order != 0)
    row.exchange_order_id = exchange_order_name(r.exchange_order);
  if (r.fill_price)
    row.fill_price = r.fill_price->to_string();
  row.unknown_at_ns = r.unknown_at;
  row.deadline_ns = resolve_deadline(cfg, r, last_outage_end);
  return row;
}

} // namespace execsim
