#include "sim/run_log.hpp"

#include "sim/exchange_ledger.hpp"
#include "sim/invariants.hpp"
#include "sim/order_table.hpp"
#include "sim/probes.hpp"

#include "sim/assert.hpp"

namespace execsim {

namespace {

std::string answer_name(submit_status s) {
  switch (s) {
    case submit_status::ack: return "ack";
    case submit_status::rejected: return "rejected";
    case submit_status::network_error: return "network_error";
  }
  return "?";
}

std::string attempt_outcome(const attempt_obs& a) {
  if (a.timed_out || !a.answer)
    return "timeout";
  return answer_name(*a.answer);
}

/// Attempt `n` (1-based) of `o` as recorded.
attempt_row make_attempt_row(const order_state& o, std::size_t n) {
  const auto& a = o.attempts[n - 1];
  attempt_row row;
  row.order_id = o.spec.id;
  row.attempt = static_cast<int>(n);
  row.sent_at_ns = a.sent_at;
  row.answered_at_ns = a.answered_at;
  row.outcome = attempt_outcome(a);
  if (!a.error_code.empty())
    row.error_code = a.error_code;
  if (a.timed_out) {
    row.timed_out_at_ns = a.timed_out_at;
    // A timeout is declared only before an answer (port rules).
    EXECSIM_ASSERT(!a.answered_at || *a.answered_at >= a.timed_out_at);
    if (a.answer)
      row.late_answer = answer_name(*a.answer);
  }
  // Still awaited (neither answered nor given up) when the result came.
  row.abandoned = o.result.has_value() && !a.timed_out
                  && (!a.answer || a.answered_after_result);
  return row;
}

std::string check_outcome(const check_obs& c) {
  if (c.timed_out || !c.answer)
    return "timeout";
  switch (*c.answer) {
    case check_status::found: return "found";
    case check_status::not_found: return "not_found";
    case check_status::failed:
    case check_status::network_error: return "failed";
  }
  return "?";
}

} // namespace

run_log::run_log(order_table& orders, batch_sink sink, std::size_t batch_rows)
  : orders_(orders), sink_(std::move(sink)), batch_rows_(batch_rows) {
  EXECSIM_ASSERT(batch_rows_ > 0);
}

void run_log::fault(ns_t at, fault_kind kind, const order_state* o,
                    std::optional<int> attempt, std::string detail) {
  ++faults_fired_;
  ++faults_by_kind_[to_string(kind)];
  if (!sink_)
    return;
  fault_row row;
  row.at_ns = at;
  row.kind = to_string(kind);
  if (o)
    row.order_id = o->spec.id;
  row.attempt = attempt;
  row.detail = std::move(detail);
  pending_.faults.push_back(std::move(row));
  maybe_flush();
}

void run_log::submit_outage(const order_state& o, int attempt) {
  if (probes_ != nullptr)
    probes_->submit_outage(o, attempt);
}

void run_log::fill(const fill_row& row) {
  ++fills_;
  if (!sink_)
    return;
  pending_.fills.push_back(row);
  maybe_flush();
}

void run_log::event(const event_msg& e) {
  if (!sink_)
    return;
  pending_.events.push_back(
    event_row{e.seq, e.at, to_string(e.channel), e.order_id, e.payload});
  maybe_flush();
}

void run_log::arrival(arrival_row row) {
  if (!sink_)
    return;
  pending_.arrivals.push_back(std::move(row));
  maybe_flush();
}

void run_log::reconciliation(reconciliation_row row) {
  if (!sink_)
    return;
  pending_.reconciliations.push_back(std::move(row));
  maybe_flush();
}

void run_log::violation(violation_row row) {
  ++violation_counts_[row.invariant];
  if (violations_.size() < violations_kept_max)
    violations_.push_back(row);
  if (!sink_)
    return;
  pending_.violations.push_back(std::move(row));
  maybe_flush();
}

order_row run_log::make_order_row(const order_state& o) {
  order_row row;
  row.order_id = o.spec.id;
  row.idem_key = o.idem_key;
  row.trader = o.spec.trader;
  row.symbol = o.spec.symbol;
  row.side = to_string(o.spec.side);
  row.quantity = o.spec.quantity;
  if (o.spec.price)
    row.price = o.spec.price->to_string();
  row.started_at_ns = o.started_at;
  row.retry_count = o.attempts.empty() ? 0
                                       : static_cast<int>(o.attempts.size()) - 1;
  if (o.result) {
    const auto& r = *o.result;
    row.success = r.success;
    if (r.exchange_order != 0)
      row.exchange_order_id = exchange_order_name(r.exchange_order);
    if (r.fill_price)
      row.fill_price = r.fill_price->to_string();
    if (!r.error.empty())
      row.error = r.error;
    if (!r.error_code.empty())
      row.error_code = r.error_code;
    row.retry_count = r.retry_count;
    row.finished_at_ns = o.finished_at;
  }
  return row;
}

void run_log::key_chosen(const order_state& o) {
  if (auto v = check_distinct_key(o, key_owners_))
    violation(std::move(*v));
}

void run_log::release(order_ix ix) {
  auto& o = orders_.at(ix);
  EXECSIM_ASSERT(o.in_flight == 0);
  if (o.result && o.result->success)
    ++successes_;
  if (auto v = check_one_result(o))
    violation(std::move(*v));
  if (ledger_ != nullptr)
    if (auto v = check_result_matches_exchange(o, *ledger_))
      violation(std::move(*v));
  if (ledger_ != nullptr)
    if (auto v = check_no_orphan_fill(o, *ledger_, reconciled_))
      violation(std::move(*v));
  if (probes_ != nullptr)
    probes_->order_done(o, ledger_);
  if (sink_) {
    pending_.orders.push_back(make_order_row(o));
    for (std::size_t n = 1; n <= o.attempts.size(); ++n)
      pending_.attempts.push_back(make_attempt_row(o, n));
    for (const auto& c : o.checks) {
      check_row row;
      row.order_id = o.spec.id;
      row.after_attempt = c.after_attempt;
      row.sent_at_ns = c.sent_at;
      row.answered_at_ns = c.answered_at;
      row.outcome = check_outcome(c);
      if (c.exchange_order != 0)
        row.exchange_order_id = exchange_order_name(c.exchange_order);
      pending_.checks.push_back(std::move(row));
    }
  }
  orders_.release(ix);
  maybe_flush();
}

void run_log::trace_line(std::int64_t seq, ns_t at, const std::string& line) {
  pending_.trace.push_back({seq, at, line});
  maybe_flush();
}

void run_log::flush() {
  if (sink_ && !pending_.empty()) {
    sink_(std::move(pending_));
    pending_ = row_batch{};
  }
}

void run_log::maybe_flush() {
  if (pending_.size() >= batch_rows_)
    flush();
}

} // namespace execsim
