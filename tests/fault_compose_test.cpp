// Faults compose along the path of a message (docs/faults.md): every pair
// of fault kinds that can apply to one attempt or one check, each in a tiny
// scenario built here, with its exact outcome in virtual time.
//
// Settings of every row: latency 10ms, submit_timeout 500ms, check_timeout
// 200ms, backoff 1s x2, 3 attempts, final_check, return_existing; one market
// order o1 (10 AAPL at 150.25) at 0s; every fault on o1's attempt 1 (and so
// on the check after it). An outage is the window [0, 1ms) (attempt 1 and
// the check it triggers at 0s) unless the row says otherwise.
#include "libexec/run/runner.hpp"
#include "sim/records.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <vector>

using namespace execsim;

namespace {

constexpr ns_t ms = 1'000'000;

fault_spec on_attempt_1(fault_kind kind) {
  fault_spec f;
  f.kind = kind;
  f.order = "o1";
  f.attempt = 1;
  switch (kind) {
    case fault_kind::delay_ack: f.delay = 1000 * ms; break;
    case fault_kind::reject: f.code = "RATE_LIMITED"; break;
    case fault_kind::outage:
      f.order.reset();
      f.attempt.reset();
      f.from = 0;
      f.until = 1 * ms;
      break;
    default: break;
  }
  return f;
}

fault_spec outage(ns_t from, ns_t until) {
  auto f = on_attempt_1(fault_kind::outage);
  f.from = from;
  f.until = until;
  return f;
}

fault_spec delay_check(ns_t delay) {
  auto f = on_attempt_1(fault_kind::delay_check);
  f.delay = delay;
  return f;
}

fault_spec delay_ack(ns_t delay) {
  auto f = on_attempt_1(fault_kind::delay_ack);
  f.delay = delay;
  return f;
}

scenario tiny(std::vector<fault_spec> faults) {
  scenario sc;
  sc.name = "fault pair";
  sc.executor.submit_timeout = 500 * ms;
  sc.executor.check_timeout = 200 * ms;
  std::string error;
  sc.exchange.prices.emplace("AAPL", decimal::parse("150.25", error).value());
  order_spec o;
  o.id = "o1";
  o.quantity = 10;
  o.timestamp = "2025-10-17T14:30:00Z";
  sc.orders.push_back(o);
  sc.faults = std::move(faults);
  return sc;
}

std::string at_ms(const std::optional<ns_t>& t) {
  if (!t)
    return "-";
  return *t % ms == 0 ? std::to_string(*t / ms) : fmt::format("{}ns", *t);
}

/// The run in one line: result, submits that reached the exchange, fills,
/// every attempt and check with its outcome and answer time (ms), and every
/// fault that fired with its time (ms).
std::string summary(const run_outcome& out, const row_batch& rows) {
  std::string s;
  for (const auto& o : rows.orders)
    s += fmt::format("{}@{} retry={}",
                     o.success.value_or(false) ? "success"
                                               : o.error_code.value_or("?"),
                     at_ms(o.finished_at_ns), o.retry_count);
  int submits = 0;
  for (const auto& line : out.trace)
    if (line.find("-> exchange: submit ") != std::string::npos)
      ++submits;
  s += fmt::format(" submits={} fills={} |", submits, rows.fills.size());
  for (const auto& a : rows.attempts)
    s += fmt::format(" a{}:{}@{}", a.attempt, a.outcome,
                     at_ms(a.answered_at_ns));
  s += " |";
  for (const auto& c : rows.checks)
    s += fmt::format(" c{}:{}@{}", c.after_attempt, c.outcome,
                     at_ms(c.answered_at_ns));
  s += " |";
  for (const auto& f : rows.faults)
    s += fmt::format(" {}@{}", f.kind, at_ms(f.at_ns));
  return s;
}

struct pair_row {
  const char* name;
  std::vector<fault_spec> faults;
  const char* expected;
};

using fk = fault_kind;
fault_spec f1(fk k) {
  return on_attempt_1(k);
}

} // namespace

TEST_CASE("fault composition: every pair of fault kinds on one attempt or "
          "one check", "[fault][compose]") {
  // clang-format off
  const std::vector<pair_row> rows = {
    // -- two faults on the submit's way there: the first on the path wins --
    {"drop_request + network_error", {f1(fk::drop_request), f1(fk::network_error)},
     "success@1040 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1040 | c1:not_found@20 | network_error@0"},
    {"drop_request + outage", {f1(fk::drop_request), f1(fk::outage)},
     "success@1020 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1020 | c1:failed@0 | outage@0 outage@0"},
    {"network_error + outage", {f1(fk::network_error), f1(fk::outage)},
     "success@1020 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1020 | c1:failed@0 | outage@0 outage@0"},
    // -- a fault on the way there pre-empts the exchange's answer --
    {"drop_request + reject", {f1(fk::drop_request), f1(fk::reject)},
     "success@1540 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1540 | c1:not_found@520 | drop_request@0"},
    {"drop_request + drop_ack", {f1(fk::drop_request), f1(fk::drop_ack)},
     "success@1540 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1540 | c1:not_found@520 | drop_request@0"},
    {"drop_request + delay_ack", {f1(fk::drop_request), f1(fk::delay_ack)},
     "success@1540 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1540 | c1:not_found@520 | drop_request@0"},
    {"network_error + reject", {f1(fk::network_error), f1(fk::reject)},
     "success@1040 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1040 | c1:not_found@20 | network_error@0"},
    {"network_error + drop_ack", {f1(fk::network_error), f1(fk::drop_ack)},
     "success@1040 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1040 | c1:not_found@20 | network_error@0"},
    {"network_error + delay_ack", {f1(fk::network_error), f1(fk::delay_ack)},
     "success@1040 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1040 | c1:not_found@20 | network_error@0"},
    {"outage + reject", {f1(fk::outage), f1(fk::reject)},
     "success@1020 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1020 | c1:failed@0 | outage@0 outage@0"},
    {"outage + drop_ack", {f1(fk::outage), f1(fk::drop_ack)},
     "success@1020 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1020 | c1:failed@0 | outage@0 outage@0"},
    {"outage + delay_ack", {f1(fk::outage), f1(fk::delay_ack)},
     "success@1020 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1020 | c1:failed@0 | outage@0 outage@0"},
    // -- the exchange's answer, then delayed or lost --
    {"reject + drop_ack: the reject is lost", {f1(fk::reject), f1(fk::drop_ack)},
     "success@1540 retry=1 submits=2 fills=1 | a1:timeout@- a2:ack@1540 | c1:not_found@520 | reject@10 drop_ack@10"},
    {"reject + delay_ack: the reject comes late", {f1(fk::reject), f1(fk::delay_ack)},
     "success@1540 retry=1 submits=2 fills=1 | a1:timeout@1020 a2:ack@1540 | c1:not_found@520 | reject@10 delay_ack@10"},
    {"drop_ack + delay_ack: a lost answer is not delayed", {f1(fk::drop_ack), f1(fk::delay_ack)},
     "success@520 retry=0 submits=1 fills=1 | a1:timeout@- | c1:found@520 | drop_ack@10"},
    {"delay_ack + delay_ack: the first in the file", {delay_ack(100 * ms), delay_ack(1000 * ms)},
     "success@120 retry=0 submits=1 fills=1 | a1:ack@120 | | delay_ack@10"},
    // -- a submit fault, then a fault on the check it leads to --
    {"drop_request + check_fail", {f1(fk::drop_request), f1(fk::check_fail)},
     "success@1540 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1540 | c1:failed@520 | drop_request@0 check_fail@510"},
    {"drop_request + check_drop", {f1(fk::drop_request), f1(fk::check_drop)},
     "success@1720 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1720 | c1:timeout@- | drop_request@0 check_drop@510"},
    {"network_error + check_fail", {f1(fk::network_error), f1(fk::check_fail)},
     "success@1040 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1040 | c1:failed@20 | network_error@0 check_fail@10"},
    {"network_error + check_drop", {f1(fk::network_error), f1(fk::check_drop)},
     "success@1220 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1220 | c1:timeout@- | network_error@0 check_drop@10"},
    {"reject + check_fail", {f1(fk::reject), f1(fk::check_fail)},
     "success@1060 retry=1 submits=2 fills=1 | a1:rejected@20 a2:ack@1060 | c1:failed@40 | reject@10 check_fail@30"},
    {"reject + check_drop", {f1(fk::reject), f1(fk::check_drop)},
     "success@1240 retry=1 submits=2 fills=1 | a1:rejected@20 a2:ack@1240 | c1:timeout@- | reject@10 check_drop@30"},
    {"drop_ack + check_fail", {f1(fk::drop_ack), f1(fk::check_fail)},
     "success@1540 retry=1 submits=2 fills=1 | a1:timeout@- a2:ack@1540 | c1:failed@520 | drop_ack@10 check_fail@510"},
    {"drop_ack + check_drop", {f1(fk::drop_ack), f1(fk::check_drop)},
     "success@1720 retry=1 submits=2 fills=1 | a1:timeout@- a2:ack@1720 | c1:timeout@- | drop_ack@10 check_drop@510"},
    {"delay_ack + check_fail: the late ack ends the backoff", {f1(fk::delay_ack), f1(fk::check_fail)},
     "success@1020 retry=0 submits=1 fills=1 | a1:timeout@1020 | c1:failed@520 | delay_ack@10 check_fail@510"},
    {"delay_ack + check_drop: the late ack ends the backoff", {f1(fk::delay_ack), f1(fk::check_drop)},
     "success@1020 retry=0 submits=1 fills=1 | a1:timeout@1020 | c1:timeout@- | delay_ack@10 check_drop@510"},
    {"outage + check_fail: the check never reaches the exchange", {f1(fk::outage), f1(fk::check_fail)},
     "success@1020 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1020 | c1:failed@0 | outage@0 outage@0"},
    {"outage + check_drop: the check never reaches the exchange", {f1(fk::outage), f1(fk::check_drop)},
     "success@1020 retry=1 submits=1 fills=1 | a1:network_error@0 a2:ack@1020 | c1:failed@0 | outage@0 outage@0"},
    // -- two faults on one check (attempt 1 dropped, so its check runs at 500ms) --
    {"check_fail + check_drop: a lost answer is lost whatever it says",
     {f1(fk::drop_request), f1(fk::check_fail), f1(fk::check_drop)},
     "success@1720 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1720 | c1:timeout@- | drop_request@0 check_fail@510 check_drop@510"},
    {"check_drop + check_fail, other order in the file: the same",
     {f1(fk::drop_request), f1(fk::check_drop), f1(fk::check_fail)},
     "success@1720 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1720 | c1:timeout@- | drop_request@0 check_fail@510 check_drop@510"},
    {"outage on the check + check_fail", {f1(fk::drop_request), outage(500 * ms, 501 * ms), f1(fk::check_fail)},
     "success@1520 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1520 | c1:failed@500 | drop_request@0 outage@500"},
    {"outage on the check + check_drop", {f1(fk::drop_request), outage(500 * ms, 501 * ms), f1(fk::check_drop)},
     "success@1520 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1520 | c1:failed@500 | drop_request@0 outage@500"},
    // -- delay_check: attempt 1 dropped, its check sent at 500ms, answered
    //    at 500 + 10 + 10ms + delay; check_timeout 200ms is due at 700ms --
    {"delay_check 100ms: not found at 620ms, the retry 1s later",
     {f1(fk::drop_request), delay_check(100 * ms)},
     "success@1640 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1640 | c1:not_found@620 | drop_request@0 delay_check@510"},
    {"delay_check to 1ns before check_timeout: the answer is used",
     {f1(fk::drop_request), delay_check(180 * ms - 1)},
     "success@1719999999ns retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1719999999ns | c1:not_found@699999999ns | drop_request@0 delay_check@510"},
    {"delay_check to exactly check_timeout: the timer (set at the send) wins",
     {f1(fk::drop_request), delay_check(180 * ms)},
     "success@1720 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1720 | c1:timeout@700 | drop_request@0 delay_check@510"},
    {"delay_check to 1ns after check_timeout: the check timed out",
     {f1(fk::drop_request), delay_check(180 * ms + 1)},
     "success@1720 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1720 | c1:timeout@700000001ns | drop_request@0 delay_check@510"},
    {"check_drop + delay_check: a lost answer is not delayed",
     {f1(fk::drop_request), f1(fk::check_drop), delay_check(100 * ms)},
     "success@1720 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1720 | c1:timeout@- | drop_request@0 check_drop@510"},
    {"check_fail + delay_check: a delayed error",
     {f1(fk::drop_request), f1(fk::check_fail), delay_check(100 * ms)},
     "success@1640 retry=1 submits=1 fills=1 | a1:timeout@- a2:ack@1640 | c1:failed@620 | drop_request@0 check_fail@510 delay_check@510"},
  };
  // clang-format on
  for (const auto& row : rows) {
    INFO(row.name);
    row_batch rows_seen;
    run_options opt;
    opt.capture = &rows_seen;
    auto sc = tiny(row.faults);
    auto out = run_scenario(sc, opt);
    CHECK(out.error.empty());
    CHECK(out.violations.empty());
    CHECK(summary(out, rows_seen) == row.expected);
  }
}
