#include "sim/expectations.hpp"

#include "sim/exchange_ledger.hpp"

#include <fmt/format.h>

#include <map>

namespace execsim {

namespace {

std::string events_text(const std::vector<std::string>& xs) {
  std::string out = "[";
  for (std::size_t i = 0; i < xs.size(); ++i)
    out += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", xs[i]);
  return out + "]";
}

std::string opt_text(const std::optional<decimal>& d) {
  return d ? "\"" + d->to_string() + "\"" : std::string{"none"};
}

std::int64_t fills_with_key(const exchange_ledger& book, const std::string& key) {
  std::int64_t n = 0;
  for (const auto* x : book.with_key(key))
    n += x->fill_count;
  return n;
}

} // namespace

std::string order_timeline(const order_state& o) {
  // Sorted by time, then by the order the lines were made (stable).
  std::multimap<ns_t, std::string> lines;
  for (std::size_t i = 0; i < o.attempts.size(); ++i) {
    const auto& a = o.attempts[i];
    lines.emplace(a.sent_at, fmt::format("attempt {} sent", i + 1));
    if (a.timed_out)
      lines.emplace(a.timed_out_at,
                    fmt::format("attempt {} timed out", i + 1));
    // An answer after the timeout is said to be late, as `execsim report`
    // says it (at the same instant the timeout's line comes first).
    if (a.answered_at)
      lines.emplace(*a.answered_at,
                    fmt::format("attempt {} answered{}: {}{}", i + 1,
                                a.timed_out ? " late, after its timeout" : "",
                                to_string(*a.answer),
                                a.error_code.empty() ? ""
                                                     : " " + a.error_code));
  }
  for (const auto& c : o.checks) {
    lines.emplace(c.sent_at,
                  fmt::format("check after attempt {} sent", c.after_attempt));
    if (c.timed_out)
      lines.emplace(c.timed_out_at,
                    fmt::format("check after attempt {} timed out",
                                c.after_attempt));
    if (c.answered_at)
      lines.emplace(*c.answered_at,
                    fmt::format("check after attempt {} answered{}: {}",
                                c.after_attempt,
                                c.timed_out ? " late, after its timeout" : "",
                                to_string(*c.answer)));
  }
  if (o.result)
    lines.emplace(o.finished_at,
                  o.result->success
                    ? fmt::format("result: success {}",
                                  exchange_order_name(o.result->exchange_order))
                    : fmt::format("result: failure {}", o.result->error_code));
  std::string out;
  for (const auto& [at, text] : lines)
    out += fmt::format("    {:>10}  {}\n", format_duration(at), text);
  return out;
}

std::vector<expectation_failure>
check_expectation(const expectation& e, const order_state* o,
                  const exchange_ledger& book) {
  std::vector<expectation_failure> out;
  if (o == nullptr) {
    out.push_back({e.order, "the order never ran", ""});
    return out;
  }
  auto timeline = order_timeline(*o);
  auto fail = [&](std::string msg) {
    out.push_back({e.order, std::move(msg), timeline});
  };
  const auto* r = o->result ? &*o->result : nullptr;
  if (!r) {
    fail("the order has no result");
    return out;
  }
  if (e.success && *e.success != r->success)
    fail(fmt::format("success: expected {}, got {}{}", *e.success, r->success,
                     r->success ? "" : " (" + r->error_code + ")"));
  if (e.retry_count && *e.retry_count != r->retry_count)
    fail(fmt::format("retry_count: expected {}, got {}", *e.retry_count,
                     r->retry_count));
  if (e.error_code && *e.error_code != r->error_code)
    fail(fmt::format("error_code: expected \"{}\", got \"{}\"", *e.error_code,
                     r->error_code));
  if (e.fill_price && (!r->fill_price || *r->fill_price != *e.fill_price))
    fail(fmt::format("fill_price: expected \"{}\", got {}",
                     e.fill_price->to_string(), opt_text(r->fill_price)));
  if (e.submits && *e.submits != o->submits_reached)
    fail(fmt::format("submits: expected {}, got {}", *e.submits,
                     o->submits_reached));
  if (e.fills) {
    auto n = o->idem_key.empty() ? 0 : fills_with_key(book, o->idem_key);
    if (*e.fills != n)
      fail(fmt::format("fills: expected {}, got {}", *e.fills, n));
  }
  if (e.finished_at && *e.finished_at != o->finished_at)
    fail(fmt::format("finished_at: expected {}, got {}",
                     format_duration(*e.finished_at),
                     format_duration(o->finished_at)));
  if (e.events) {
    std::vector<std::string> got;
    for (auto ch : o->events)
      got.emplace_back(to_string(ch));
    if (got != *e.events)
      fail(fmt::format("events: expected {}, got {}", events_text(*e.events),
                       events_text(got)));
  }
  return out;
}

} // namespace execsim
