#include "libexec/report/row_text.hpp"

#include "sim/virtual_time.hpp"

#include <fmt/format.h>

#include <optional>

namespace execsim::cli {

namespace {

std::string or_dash(const std::optional<std::string>& s) {
  return s ? *s : "-";
}

std::string time_or_dash(const std::optional<ns_t>& at) {
  return at ? format_duration(*at) : "-";
}

} // namespace

std::string row_text(const attempt_row& a) {
  return fmt::format(
    "attempts: order_id={} attempt={} sent_at={} answered_at={} outcome={} "
    "error_code={} timed_out_at={} late_answer={} abandoned={}",
    a.order_id, a.attempt, format_duration(a.sent_at_ns),
    time_or_dash(a.answered_at_ns), a.outcome, or_dash(a.error_code),
    time_or_dash(a.timed_out_at_ns), or_dash(a.late_answer),
    a.abandoned ? (*a.abandoned ? "yes" : "no") : "-");
}

std::string row_text(const check_row& c) {
  return fmt::format("duplicate_checks: order_id={} after_attempt={} "
                     "sent_at={} answered_at={} outcome={} "
                     "exchange_order_id={}",
                     c.order_id, c.after_attempt, format_duration(c.sent_at_ns),
                     time_or_dash(c.answered_at_ns), c.outcome,
                     or_dash(c.exchange_order_id));
}

std::string row_text(const fill_row& f) {
  return fmt::format("fills: exchange_order_id={} idem_key={} order_id={} "
                     "quantity={} price={} filled_at={}",
                     f.exchange_order_id, f.idem_key, f.order_id, f.quantity,
                     f.price, format_duration(f.filled_at_ns));
}

std::string row_text(const event_row& e) {
  return fmt::format("events: seq={} at={} channel={} order_id={} "
                     "payload={}",
                     e.seq, format_duration(e.at_ns), e.channel, e.order_id,
                     e.payload);
}

std::string row_text(const fault_row& f) {
  return fmt::format("faults: at={} kind={} order_id={} attempt={} "
                     "detail={}",
                     format_duration(f.at_ns), f.kind, or_dash(f.order_id),
                     f.attempt ? std::to_string(*f.attempt) : "-",
                     f.detail.empty() ? "-" : f.detail);
}

std::string row_text(const order_row& o) {
  return fmt::format(
    "orders: order_id={} success={} exchange_order_id={} fill_price={} "
    "error_code={} error={} retry_count={} started_at={} finished_at={}",
    o.order_id, o.success ? (*o.success ? "true" : "false") : "-",
    or_dash(o.exchange_order_id), or_dash(o.fill_price),
    or_dash(o.error_code), or_dash(o.error), o.retry_count,
    format_duration(o.started_at_ns), time_or_dash(o.finished_at_ns));
}

std::string row_text(const violation_row& v) {
  return fmt::format("violations: invariant={} order_id={} detail={}",
                     v.invariant, or_dash(v.order_id), v.detail);
}

std::string row_text(const trace_row& t) {
  return fmt::format("trace: seq={} at={} line={}", t.seq,
                     format_duration(t.at_ns), t.line);
}

} // namespace execsim::cli
