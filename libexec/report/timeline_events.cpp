#include "libexec/report/timeline_events.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace execsim::cli {

namespace {

/// Tables keep times, not the order things happened in within one instant.
/// At equal times entries follow the executor's flow: attempt k is sent,
/// the exchange fills it, a fault hits its answer, the answer (or timeout)
/// comes, then the check after attempt k is sent, faulted and answered,
/// then attempt k + 1. The start event comes before all that, the result
/// events after.
constexpr int before_attempts = 0;
constexpr int after_attempts = std::numeric_limits<int>::max();

enum step : int {
  attempt_sent,
  fill_made,
  submit_fault,
  attempt_answered,
  check_sent,
  check_fault,
  check_answered,
};

class timeline {
public:
  timeline(const order_row* order,
           const std::optional<report_timeouts>& timeouts)
    : order_(order), timeouts_(timeouts) {
  }

  void add(ns_t at, step_key key, std::string text) {
    entries_.push_back({at, key, std::move(text)});
  }

  /// A request that got no answer: when it timed out, if that was before
  /// the order finished (the executor forgets pending timers then).
  void add_unanswered(ns_t sent_at, ns_t timeout, step_key key,
                      const std::string& what) {
    if (!timeouts_) {
      add(sent_at, key, what + " got no answer (timed out)");
      return;
    }
    auto at = sent_at + timeout;
    auto finished = order_ ? order_->finished_at_ns : std::nullopt;
    if (finished && at > *finished)
      add(*finished, {after_attempts, 1},
          what + " got no answer before the order finished");
    else
      add(at, key, what + " timed out");
  }

  const std::optional<report_timeouts>& timeouts() const noexcept {
    return timeouts_;
  }

  std::vector<timeline_entry> sorted() {
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const timeline_entry& a, const timeline_entry& b) {
                       if (a.at != b.at)
                         return a.at < b.at;
                       if (a.key.attempt != b.key.attempt)
                         return a.key.attempt < b.key.attempt;
                       return a.key.step < b.key.step;
                     });
    return std::move(entries_);
  }

private:
  const order_row* order_; // nullptr = faults not tied to one order
  std::optional<report_timeouts> timeouts_;
  std::vector<timeline_entry> entries_;
};

/// An attempt the order finished without (attempts.abandoned, version 3):
/// said at the order's end, and its answer if one came after.
void add_abandoned(timeline& t, const attempt_row& a, ns_t finished) {
  t.add(finished, {after_attempts, 1},
        fmt::format("attempt {} abandoned: the order finished while it was "
                    "awaited",
                    a.attempt));
  if (a.answered_at_ns)
    t.add(*a.answered_at_ns, {after_attempts, 2},
          fmt::format("attempt {} answered after the order finished: {}{}",
                      a.attempt, a.outcome,
                      a.error_code ? " " + *a.error_code : ""));
}

void add_attempt(timeline& t, const attempt_row& a,
                 std::optional<ns_t> finished) {
  t.add(a.sent_at_ns, {a.attempt, attempt_sent},
        fmt::format("attempt {} sent", a.attempt));
  step_key answered{a.attempt, attempt_answered};
  if (a.abandoned.value_or(false) && finished) {
    add_abandoned(t, a, *finished);
    return;
  }
  if (a.outcome != "timeout") {
    t.add(a.answered_at_ns.value_or(a.sent_at_ns), answered,
          fmt::format("attempt {} answered: {}{}", a.attempt, a.outcome,
                      a.error_code ? " " + *a.error_code : ""));
    return;
  }
  if (a.timed_out_at_ns) // exact, from a version-3 recording
    t.add(*a.timed_out_at_ns, answered,
          fmt::format("attempt {} timed out", a.attempt));
  else
    t.add_unanswered(a.sent_at_ns, t.timeouts() ? t.timeouts()->submit : 0,
                     answered, fmt::format("attempt {}", a.attempt));
  // An answer after the timeout (a delayed ack); the executor may still
  // use it.
  if (a.answered_at_ns)
    t.add(*a.answered_at_ns, answered,
          fmt::format("attempt {} answered late, after its timeout{}{}",
                      a.attempt, a.late_answer ? ": " + *a.late_answer : "",
                      a.late_answer && a.error_code ? " " + *a.error_code
                                                    : ""));
}

void add_check(timeline& t, const check_row& c) {
  t.add(c.sent_at_ns, {c.after_attempt, check_sent},
        fmt::format("check after attempt {} sent", c.after_attempt));
  step_key answered{c.after_attempt, check_answered};
  if (c.outcome != "timeout") {
    t.add(c.answered_at_ns.value_or(c.sent_at_ns), answered,
          fmt::format("check after attempt {} answered: {}{}",
                      c.after_attempt, c.outcome,
                      c.exchange_order_id ? " " + *c.exchange_order_id : ""));
    return;
  }
  t.add_unanswered(c.sent_at_ns, t.timeouts() ? t.timeouts()->check : 0,
                   answered,
                   fmt::format("check after attempt {}", c.after_attempt));
  if (c.answered_at_ns)
    t.add(*c.answered_at_ns, answered,
          fmt::format("check after attempt {} answered late, after its "
                      "timeout",
                      c.after_attempt));
}

/// The attempt in flight at `at`: the last one sent by then.
int attempt_at(const order_rows& rows, ns_t at) {
  int n = 0;
  for (const auto* a : rows.attempts)
    if (a->sent_at_ns <= at)
      n = std::max(n, a->attempt);
  return n;
}

/// A fault on a check: its kind says so, or its detail names the check
/// ("check" for an outage that held a check back).
bool hits_check(const fault_row& f) {
  return f.kind == "check_fail" || f.kind == "check_drop"
         || f.kind == "delay_check"
         || f.detail.rfind("check", 0) == 0;
}

void add_fault(timeline& t, const fault_row& f, const order_rows* rows) {
  auto on = !f.attempt      ? std::string{}
            : hits_check(f) ? fmt::format(" on the check after attempt {}",
                                          *f.attempt)
                            : fmt::format(" on attempt {}", *f.attempt);
  auto text = fmt::format("fault {}{}{}", f.kind, on,
                          f.detail.empty() ? "" : " (" + f.detail + ")");
  auto attempt = f.attempt ? *f.attempt
                 : rows    ? attempt_at(*rows, f.at_ns)
                           : before_attempts;
  t.add(f.at_ns, {attempt, hits_check(f) ? check_fault : submit_fault},
        std::move(text));
}

} // namespace

std::map<std::string, order_rows> rows_by_order(const row_batch& rows) {
  std::map<std::string, order_rows> by_order;
  for (const auto& a : rows.attempts)
    by_order[a.order_id].attempts.push_back(&a);
  for (const auto& c : rows.checks)
    by_order[c.order_id].checks.push_back(&c);
  for (const auto& f : rows.fills)
    by_order[f.order_id].fills.push_back(&f);
  for (const auto& e : rows.events)
    if (!e.order_id.empty())
      by_order[e.order_id].events.push_back(&e);
  for (const auto& f : rows.faults)
    if (f.order_id)
      by_order[*f.order_id].faults.push_back(&f);
  return by_order;
}

std::vector<timeline_entry>
order_timeline(const order_row& o, const order_rows& rows,
               const std::optional<report_timeouts>& timeouts) {
  timeline t{&o, timeouts};
  for (const auto* a : rows.attempts)
    add_attempt(t, *a, o.finished_at_ns);
  for (const auto* c : rows.checks)
    add_check(t, *c);
  for (const auto* f : rows.fills)
    t.add(f->filled_at_ns, {attempt_at(rows, f->filled_at_ns), fill_made},
          fmt::format("fill {} @ {} ({})", f->quantity, f->price,
                      f->exchange_order_id));
  for (const auto* e : rows.events)
    t.add(e->at_ns,
          {e->channel == "order.execution_started" ? before_attempts
                                                   : after_attempts,
           0},
          "event " + e->channel);
  for (const auto* f : rows.faults)
    add_fault(t, *f, &rows);
  return t.sorted();
}

std::vector<timeline_entry> untied_faults(const row_batch& rows) {
  timeline untied{nullptr, std::nullopt};
  for (const auto& f : rows.faults)
    if (!f.order_id)
      add_fault(untied, f, nullptr);
  return untied.sorted();
}

} // namespace execsim::cli
