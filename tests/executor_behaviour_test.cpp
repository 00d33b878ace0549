// The executor's behaviour, row by row: the original service's 14 tests
// (seed summary T011) ported to virtual time, plus what execsim adds (late
// answers, final check, STATUS_UNKNOWN, the residual risks, the spec's worked
// timings, determinism, jitter, 10,000 concurrent orders). Every test builds
// a scenario as TOML text, runs it with every recorded row captured in
// memory, and asserts exact virtual times and outcomes. No wall clock.
#include "sim/records.hpp"
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace execsim;

namespace {

constexpr ns_t ms = 1'000'000;
constexpr ns_t s = 1'000 * ms;

const std::vector<std::string> ev_ok = {"order.execution_started",
                                        "order.executed"};
const std::vector<std::string> ev_recovered = {
  "order.execution_started", "order.executed", "order.recovered"};
const std::vector<std::string> ev_failed = {"order.execution_started",
                                            "order.execution_failed"};

/// The scenario text: [executor] and [exchange] bodies, then orders/faults.
/// Defaults: the executor's own defaults (submit_timeout 2s, check_timeout
/// 1s, backoff 1s x2, 3 attempts), latency 10ms, AAPL at 150.25.
struct scenario_text {
  std::string top;      // seed = ...
  std::string executor; // lines of [executor]
  std::string exchange = "latency = \"10ms\"\n";
  std::string prices = "AAPL = \"150.25\"\n";
  std::string body; // [[orders]], [[faults]]

  std::string text() const {
    return fmt::format("name = \"executor behaviour\"\n{}\n[executor]\n{}\n"
                       "[exchange]\n{}\n[exchange.prices]\n{}\n{}",
                       top, executor, exchange, prices, body);
  }
};

/// The spec's worked-timing settings: latency 10ms, submit_timeout 500ms,
/// backoff 1s x2.
const char* const spec_executor = "max_attempts = 3\n"
                                  "initial_backoff = \"1s\"\n"
                                  "backoff_multiplier = 2.0\n"
                                  "submit_timeout = \"500ms\"\n";

/// An order: 100 shares (unless `quantity`), a fixed timestamp, plus
/// `extra` lines.
std::string order(const std::string& id, const std::string& extra = "",
                  int quantity = 100) {
  return fmt::format("[[orders]]\nid = \"{}\"\nquantity = {}\n"
                     "timestamp = \"2025-10-17T14:30:00Z\"\n{}\n",
                     id, quantity, extra);
}

std::string fault(const std::string& id, int attempt, const std::string& kind,
                  const std::string& extra = "") {
  return fmt::format("[[faults]]\norder = \"{}\"\nattempt = {}\nkind = \"{}\"\n"
                     "{}\n",
                     id, attempt, kind, extra);
}

std::string fault_every_attempt(const std::string& id,
                                const std::string& kind) {
  return fmt::format("[[faults]]\norder = \"{}\"\nkind = \"{}\"\n\n", id,
                     kind);
}

scenario load(const std::string& text) {
  auto r = load_scenario_text(text, "test.toml");
  for (const auto& e : r.errors)
    UNSCOPED_INFO(e.to_string());
  REQUIRE(r.errors.empty());
  return *r.value;
}

struct result {
  run_outcome out;
  row_batch rows;

  const order_row& order_of(const std::string& id) const {
    auto i = std::find_if(rows.orders.begin(), rows.orders.end(),
                          [&](const order_row& o) { return o.order_id == id; });
    REQUIRE(i != rows.orders.end());
    return *i;
  }

  std::vector<attempt_row> attempts(const std::string& id) const {
    std::vector<attempt_row> xs;
    for (const auto& a : rows.attempts)
      if (a.order_id == id)
        xs.push_back(a);
    std::sort(xs.begin(), xs.end(),
              [](const auto& a, const auto& b) { return a.attempt < b.attempt; });
    return xs;
  }

  std::vector<check_row> checks(const std::string& id) const {
    std::vector<check_row> xs;
    for (const auto& c : rows.checks)
      if (c.order_id == id)
        xs.push_back(c);
    std::stable_sort(xs.begin(), xs.end(), [](const auto& a, const auto& b) {
      return a.sent_at_ns < b.sent_at_ns;
    });
    return xs;
  }

  std::vector<std::string> channels(const std::string& id) const {
    std::vector<event_row> xs;
    for (const auto& e : rows.events)
      if (e.order_id == id)
        xs.push_back(e);
    std::sort(xs.begin(), xs.end(),
              [](const auto& a, const auto& b) { return a.seq < b.seq; });
    std::vector<std::string> out;
    for (const auto& e : xs)
      out.push_back(e.channel);
    return out;
  }

  std::vector<fill_row> fills(const std::string& id) const {
    std::vector<fill_row> xs;
    for (const auto& f : rows.fills)
      if (f.order_id == id)
        xs.push_back(f);
    return xs;
  }

  /// Submits that reached the exchange (one trace line each).
  std::size_t submits(const std::string& id) const {
    std::size_t n = 0;
    auto needle = fmt::format(" executor/{} -> exchange: submit attempt=", id);
    for (const auto& line : out.trace)
      if (line.find(needle) != std::string::npos)
        ++n;
    return n;
  }

  std::vector<std::string> violations() const {
    std::vector<std::string> xs;
    for (const auto& v : rows.violations)
      xs.push_back(v.invariant + ":" + v.order_id.value_or("-"));
    return xs;
  }
};

std::string failure_text(const run_outcome& out) {
  std::string t = out.error;
  for (const auto& f : out.failures)
    t += "\n" + f.order + ": " + f.message + "\n" + f.timeline;
  for (const auto& c : out.check_failures)
    t += "\n" + c;
  return t;
}

result run(const std::string& text, std::optional<std::uint64_t> seed = {}) {
  auto sc = load(text);
  result r;
  run_options opt;
  opt.seed = seed;
  opt.capture = &r.rows;
  r.out = run_scenario(sc, opt);
  INFO(failure_text(r.out));
  REQUIRE(r.out.error.empty());
  return r;
}

/// Runs a scenario that must pass (no expectation, no violation).
result run_ok(const std::string& text,
              std::optional<std::uint64_t> seed = {}) {
  auto r = run(text, seed);
  INFO(failure_text(r.out));
  REQUIRE(r.out.pass);
  REQUIRE(r.rows.violations.empty());
  return r;
}

// Optionals as plain values, so a failed CHECK prints them: -1 / "<none>".
constexpr ns_t none_ns = -1;
const char* const none_text = "<none>";

ns_t opt(const std::optional<ns_t>& x) {
  return x.value_or(none_ns);
}
std::string opt(const std::optional<std::string>& x) {
  return x.value_or(none_text);
}
std::string opt(const std::optional<bool>& x) {
  return x ? (*x ? "true" : "false") : none_text;
}

void require_attempt(const attempt_row& a, int n, ns_t sent, ns_t answered,
                     const std::string& outcome,
                     const std::string& code = none_text) {
  INFO("attempt " << n);
  CHECK(a.attempt == n);
  CHECK(a.sent_at_ns == sent);
  CHECK(opt(a.answered_at_ns) == answered);
  CHECK(a.outcome == outcome);
  CHECK(opt(a.error_code) == code);
}

void require_check(const check_row& c, int after, ns_t sent, ns_t answered,
                   const std::string& outcome,
                   const std::string& xid = none_text) {
  INFO("check after attempt " << after);
  CHECK(c.after_attempt == after);
  CHECK(c.sent_at_ns == sent);
  CHECK(opt(c.answered_at_ns) == answered);
  CHECK(c.outcome == outcome);
  CHECK(opt(c.exchange_order_id) == xid);
}

void require_success(const order_row& o, int retry_count, ns_t finished,
                     const std::string& xid, const std::string& fill_price) {
  INFO("order " << o.order_id);
  CHECK(opt(o.success) == "true");
  CHECK(o.retry_count == retry_count);
  CHECK(opt(o.finished_at_ns) == finished);
  CHECK(opt(o.exchange_order_id) == xid);
  CHECK(opt(o.fill_price) == fill_price);
  CHECK(opt(o.error_code) == none_text);
}

void require_failure(const order_row& o, int retry_count, ns_t finished,
                     const std::string& code) {
  INFO("order " << o.order_id);
  CHECK(opt(o.success) == "false");
  CHECK(o.retry_count == retry_count);
  CHECK(opt(o.finished_at_ns) == finished);
  CHECK(opt(o.error_code) == code);
  CHECK(opt(o.fill_price) == none_text);
}

} // namespace

// ------------------------------------------------ the original 14 tests

TEST_CASE("executor: success on the first attempt", "[executor]") {
  scenario_text t;
  t.body = order("o1");
  auto r = run_ok(t.text());
  // sent 0 -> exchange 10ms (X-1 filled) -> answer 20ms.
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 1);
  require_attempt(as[0], 1, 0, 20 * ms, "ack");
  CHECK(r.checks("o1").empty());
  require_success(r.order_of("o1"), 0, 20 * ms, "X-1", "150.25");
  CHECK(r.order_of("o1").started_at_ns == 0);
  auto fs = r.fills("o1");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].price == "150.25");
  CHECK(fs[0].quantity == 100);
  CHECK(fs[0].filled_at_ns == 10 * ms);
  CHECK(fs[0].exchange_order_id == "X-1");
  CHECK(r.channels("o1") == ev_ok);
  CHECK(r.submits("o1") == 1);
}

TEST_CASE("executor: market vs limit orders", "[executor]") {
  scenario_text t;
  t.body = order("mkt") + order("lmt_buy_fills", "price = \"151.00\"")
           + order("lmt_buy_rests", "price = \"149.00\"")
           + order("lmt_sell_fills", "side = \"sell\"\nprice = \"150.00\"")
           + order("lmt_sell_rests", "side = \"sell\"\nprice = \"155.50\"")
           + order("no_market", "symbol = \"NOPX\"");
  auto r = run_ok(t.text());
  for (const auto* id : {"mkt", "lmt_buy_fills", "lmt_sell_fills"}) {
    INFO(id);
    auto fs = r.fills(id);
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].price == "150.25"); // the market price, not the limit
    CHECK(opt(r.order_of(id).fill_price) == "150.25");
    CHECK(opt(r.order_of(id).success) == "true");
    CHECK(opt(r.order_of(id).finished_at_ns) == 20 * ms);
  }
  // Non-marketable limits and a symbol without a market rest: accepted,
  // success, no fill, no fill price.
  for (const auto* id : {"lmt_buy_rests", "lmt_sell_rests", "no_market"}) {
    INFO(id);
    CHECK(r.fills(id).empty());
    CHECK(opt(r.order_of(id).success) == "true");
    CHECK(opt(r.order_of(id).fill_price) == none_text);
    CHECK(r.order_of(id).exchange_order_id.has_value());
    CHECK(r.channels(id) == ev_ok);
  }
  CHECK(opt(r.order_of("mkt").price) == none_text);
  CHECK(opt(r.order_of("lmt_buy_fills").price) == "151.00");
  CHECK(r.rows.fills.size() == 3);
}

TEST_CASE("executor: idempotency key format", "[executor]") {
  scenario_text t;
  t.prices += "MSFT = \"410.10\"\n";
  t.body = order("o1", "price = \"150.25\"") + order("o2")
           + "[[orders]]\nid = \"o3\"\ntrader = \"trader-42\"\n"
             "symbol = \"MSFT\"\nside = \"sell\"\nquantity = 7\n"
             "price = \"410.10\"\ntimestamp = \"2025-10-18T09:00:00Z\"\n\n"
             "[[orders]]\nid = \"o4\"\nat = \"1.5s\"\ntrader = \"T2\"\n"
             "quantity = 3\n\n";
  auto r = run_ok(t.text());
  CHECK(r.order_of("o1").idem_key
        == "T1:AAPL:100:150.25:2025-10-17T14:30:00Z:v1");
  CHECK(r.order_of("o2").idem_key == "T1:AAPL:100:MKT:2025-10-17T14:30:00Z:v1");
  CHECK(r.order_of("o3").idem_key
        == "trader-42:MSFT:7:410.10:2025-10-18T09:00:00Z:v1");
  // Default timestamp: "t+<at in ns>".
  CHECK(r.order_of("o4").idem_key == "T2:AAPL:3:MKT:t+1500000000:v1");
  REQUIRE(r.fills("o1").size() == 1);
  CHECK(r.fills("o1")[0].idem_key == r.order_of("o1").idem_key);
  for (const auto& e : r.rows.events)
    if (e.order_id == "o2" && e.channel == "order.execution_started")
      CHECK(e.payload.find("\"idem_key\":\"T1:AAPL:100:MKT:2025-10-17T14:30:00Z:v1\"")
            != std::string::npos);
}

TEST_CASE("executor: timeout, then success on attempt 2", "[executor]") {
  scenario_text t;
  t.body = order("o1") + fault("o1", 1, "drop_request");
  auto r = run_ok(t.text());
  // timeout 2s; check 2000 -> 2020 not found; backoff 1s -> attempt 2 at
  // 3020 -> answered 3040.
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 2);
  require_attempt(as[0], 1, 0, none_ns, "timeout");
  require_attempt(as[1], 2, 3020 * ms, 3040 * ms, "ack");
  auto cs = r.checks("o1");
  REQUIRE(cs.size() == 1);
  require_check(cs[0], 1, 2000 * ms, 2020 * ms, "not_found");
  require_success(r.order_of("o1"), 1, 3040 * ms, "X-1", "150.25");
  CHECK(r.channels("o1") == ev_recovered);
  CHECK(r.submits("o1") == 1);
}

TEST_CASE("executor: network errors, then success on attempt 3",
          "[executor]") {
  scenario_text t;
  t.body = order("o1") + fault("o1", 1, "network_error")
           + fault("o1", 2, "network_error");
  auto r = run_ok(t.text());
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 3);
  // A network error fails the attempt at its send time.
  require_attempt(as[0], 1, 0, 0, "network_error",
                  "NETWORK_ERROR");
  require_attempt(as[1], 2, 1020 * ms, 1020 * ms, "network_error",
                  "NETWORK_ERROR");
  require_attempt(as[2], 3, 3040 * ms, 3060 * ms, "ack");
  auto cs = r.checks("o1");
  REQUIRE(cs.size() == 2);
  require_check(cs[0], 1, 0, 20 * ms, "not_found");
  require_check(cs[1], 2, 1020 * ms, 1040 * ms, "not_found");
  require_success(r.order_of("o1"), 2, 3060 * ms, "X-1", "150.25");
  CHECK(r.channels("o1") == ev_recovered);
  CHECK(r.submits("o1") == 1);
}

TEST_CASE("executor: all attempts exhausted", "[executor]") {
  scenario_text t;
  // Different keys: o2 has quantity 200.
  t.body = order("o1") + order("o2", "", 200)
           + fault_every_attempt("o1", "drop_request")
           + fault_every_attempt("o2", "network_error");
  auto r = run_ok(t.text());

  SECTION("three timeouts: failure TIMEOUT after the final check") {
    auto as = r.attempts("o1");
    REQUIRE(as.size() == 3);
    require_attempt(as[0], 1, 0, none_ns, "timeout");
    require_attempt(as[1], 2, 3020 * ms, none_ns, "timeout");
    require_attempt(as[2], 3, 7040 * ms, none_ns, "timeout");
    auto cs = r.checks("o1");
    REQUIRE(cs.size() == 3);
    require_check(cs[0], 1, 2000 * ms, 2020 * ms, "not_found");
    require_check(cs[1], 2, 5020 * ms, 5040 * ms, "not_found");
    require_check(cs[2], 3, 9040 * ms, 9060 * ms, "not_found"); // final
    require_failure(r.order_of("o1"), 2, 9060 * ms, "TIMEOUT");
    CHECK(r.channels("o1") == ev_failed);
    CHECK(r.submits("o1") == 0);
  }
  SECTION("three network errors: failure NETWORK_ERROR, no final check") {
    auto as = r.attempts("o2");
    REQUIRE(as.size() == 3);
    require_attempt(as[0], 1, 0, 0, "network_error",
                    "NETWORK_ERROR");
    require_attempt(as[1], 2, 1020 * ms, 1020 * ms, "network_error",
                    "NETWORK_ERROR");
    require_attempt(as[2], 3, 3040 * ms, 3040 * ms, "network_error",
                    "NETWORK_ERROR");
    CHECK(r.checks("o2").size() == 2);
    require_failure(r.order_of("o2"), 2, 3040 * ms, "NETWORK_ERROR");
    CHECK(r.channels("o2") == ev_failed);
  }
  CHECK(r.rows.fills.empty());
}

TEST_CASE("executor: fatal error, no retry", "[executor]") {
  scenario_text t;
  t.exchange += "symbols = [\"AAPL\"]\n";
  t.body = order("o1", "symbol = \"XYZ\"") + order("o2")
           + fault("o2", 1, "reject", "code = \"RISK_VIOLATION\"");
  auto r = run_ok(t.text());
  const std::vector<std::pair<std::string, std::string>> cases = {
    {"o1", "INVALID_SYMBOL"}, {"o2", "RISK_VIOLATION"}};
  for (const auto& [id, code] : cases) {
    INFO(id);
    auto as = r.attempts(id);
    REQUIRE(as.size() == 1);
    require_attempt(as[0], 1, 0, 20 * ms, "rejected", code);
    CHECK(r.checks(id).empty());
    require_failure(r.order_of(id), 0, 20 * ms, code);
    CHECK(r.channels(id) == ev_failed);
    CHECK(r.submits(id) == 1);
  }
  CHECK(r.rows.fills.empty());
}

TEST_CASE("executor: exponential backoff timing", "[executor]") {
  auto backoffs = [](const result& r, const std::string& id) {
    // Wait = next attempt's send - the previous check's answer.
    auto as = r.attempts(id);
    auto cs = r.checks(id);
    std::vector<ns_t> waits;
    for (std::size_t i = 1; i < as.size(); ++i)
      waits.push_back(as[i].sent_at_ns - *cs[i - 1].answered_at_ns);
    return waits;
  };
  SECTION("1s, 2s, 4s (4 attempts)") {
    scenario_text t;
    t.executor = "max_attempts = 4\n";
    t.body = order("o1") + fault("o1", 1, "network_error")
             + fault("o1", 2, "network_error") + fault("o1", 3, "network_error");
    auto r = run_ok(t.text());
    auto as = r.attempts("o1");
    REQUIRE(as.size() == 4);
    CHECK(as[0].sent_at_ns == 0);
    CHECK(as[1].sent_at_ns == 1020 * ms);
    CHECK(as[2].sent_at_ns == 3040 * ms);
    CHECK(as[3].sent_at_ns == 7060 * ms);
    CHECK(backoffs(r, "o1") == std::vector<ns_t>{1 * s, 2 * s, 4 * s});
    require_success(r.order_of("o1"), 3, 7080 * ms, "X-1", "150.25");
  }
  SECTION("100ms x3: 100ms, 300ms, 900ms") {
    scenario_text t;
    t.executor = "max_attempts = 4\ninitial_backoff = \"100ms\"\n"
                 "backoff_multiplier = 3.0\n";
    t.body = order("o1") + fault("o1", 1, "network_error")
             + fault("o1", 2, "network_error") + fault("o1", 3, "network_error");
    auto r = run_ok(t.text());
    CHECK(backoffs(r, "o1")
          == std::vector<ns_t>{100 * ms, 300 * ms, 900 * ms});
    // 0 +20 +100 -> 120; +20 +300 -> 440; +20 +900 -> 1360; answered 1380.
    require_success(r.order_of("o1"), 3, 1380 * ms, "X-1", "150.25");
  }
}

TEST_CASE("executor: duplicate found returns the existing order",
          "[executor]") {
  scenario_text t;
  t.body = order("o1", "price = \"151.00\"") + fault("o1", 1, "drop_ack");
  auto r = run_ok(t.text());
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 1);
  require_attempt(as[0], 1, 0, none_ns, "timeout");
  auto cs = r.checks("o1");
  REQUIRE(cs.size() == 1);
  require_check(cs[0], 1, 2000 * ms, 2020 * ms, "found", "X-1");
  // The existing order, with the price it filled at.
  require_success(r.order_of("o1"), 0, 2020 * ms, "X-1", "150.25");
  CHECK(r.channels("o1") == ev_recovered);
}

TEST_CASE("executor: no duplicate found, retry", "[executor]") {
  scenario_text t;
  t.body = order("o1") + fault("o1", 1, "drop_request");
  auto r = run_ok(t.text());
  auto cs = r.checks("o1");
  REQUIRE(cs.size() == 1);
  require_check(cs[0], 1, 2000 * ms, 2020 * ms, "not_found");
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 2);
  // Not found -> back off 1s from the check's answer, then resubmit.
  CHECK(as[1].sent_at_ns == *cs[0].answered_at_ns + 1 * s);
  require_success(r.order_of("o1"), 1, 3040 * ms, "X-1", "150.25");
}

TEST_CASE("executor: a failing check counts as none found", "[executor]") {
  scenario_text t;
  t.body = order("o1") + fault("o1", 1, "drop_ack")
           + fault("o1", 1, "check_fail");
  auto r = run_ok(t.text());
  auto cs = r.checks("o1");
  REQUIRE(cs.size() == 1);
  // The check reaches the exchange; its answer (after the round trip) is an
  // error.
  require_check(cs[0], 1, 2000 * ms, 2020 * ms, "failed");
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 2);
  require_attempt(as[0], 1, 0, none_ns, "timeout");
  require_attempt(as[1], 2, 3020 * ms, 3040 * ms, "ack");
  // return_existing: the resubmit gets X-1 back, still one fill.
  require_success(r.order_of("o1"), 1, 3040 * ms, "X-1", "150.25");
  CHECK(r.fills("o1").size() == 1);
  CHECK(r.submits("o1") == 2);
}

TEST_CASE("executor: timeout after fill, duplicate found, no resubmit",
          "[executor]") {
  scenario_text t;
  t.body = order("o1") + fault("o1", 1, "drop_ack");
  auto r = run_ok(t.text());
  CHECK(r.submits("o1") == 1);
  CHECK(r.attempts("o1").size() == 1);
  CHECK(r.checks("o1").size() == 1);
  REQUIRE(r.fills("o1").size() == 1);
  CHECK(r.fills("o1")[0].filled_at_ns == 10 * ms);
  require_success(r.order_of("o1"), 0, 2020 * ms, "X-1", "150.25");
  CHECK(r.channels("o1") == ev_recovered);
}

TEST_CASE("executor: several timeouts, several checks", "[executor]") {
  scenario_text t;
  t.body = order("o1") + fault("o1", 1, "drop_request")
           + fault("o1", 2, "drop_ack");
  auto r = run_ok(t.text());
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 2);
  require_attempt(as[0], 1, 0, none_ns, "timeout");
  require_attempt(as[1], 2, 3020 * ms, none_ns, "timeout");
  auto cs = r.checks("o1");
  REQUIRE(cs.size() == 2);
  require_check(cs[0], 1, 2000 * ms, 2020 * ms, "not_found");
  require_check(cs[1], 2, 5020 * ms, 5040 * ms, "found", "X-1");
  require_success(r.order_of("o1"), 1, 5040 * ms, "X-1", "150.25");
  REQUIRE(r.fills("o1").size() == 1);
  CHECK(r.fills("o1")[0].filled_at_ns == 3030 * ms);
}

TEST_CASE("executor: a submit reaches the exchange once per attempt",
          "[executor]") {
  scenario_text t;
  t.body = order("o1") + fault("o1", 1, "reject", "code = \"RATE_LIMITED\"")
           + fault("o1", 2, "reject", "code = \"RATE_LIMITED\"");
  auto r = run_ok(t.text());
  CHECK(r.submits("o1") == 3);
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 3);
  require_attempt(as[0], 1, 0, 20 * ms, "rejected",
                  "RATE_LIMITED");
  require_attempt(as[1], 2, 1040 * ms, 1060 * ms, "rejected",
                  "RATE_LIMITED");
  require_attempt(as[2], 3, 3080 * ms, 3100 * ms, "ack");
  require_success(r.order_of("o1"), 2, 3100 * ms, "X-1", "150.25");
  CHECK(r.fills("o1").size() == 1);
}

// ------------------------------------------------------ beyond the original

TEST_CASE("executor: a late answer during the backoff ends the order",
          "[executor]") {
  scenario_text t;
  t.body = order("o1") + fault("o1", 1, "delay_ack", "delay = \"2100ms\"")
           + fault("o1", 1, "check_fail");
  auto r = run_ok(t.text());
  // X-1 filled at 10ms; answer due 20 + 2100 = 2120ms. Timeout 2000; check
  // -> 2020 failed; backoff until 3020; the answer at 2120 ends the order.
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 1);
  require_attempt(as[0], 1, 0, 2120 * ms, "timeout");
  auto cs = r.checks("o1");
  REQUIRE(cs.size() == 1);
  require_check(cs[0], 1, 2000 * ms, 2020 * ms, "failed");
  require_success(r.order_of("o1"), 0, 2120 * ms, "X-1", "150.25");
  CHECK(r.channels("o1") == ev_recovered);
  CHECK(r.submits("o1") == 1);
}

TEST_CASE("executor: a late answer after the result is only recorded",
          "[executor]") {
  scenario_text t;
  t.body = order("o1") + fault("o1", 1, "delay_ack", "delay = \"5s\"")
           + fault("o1", 1, "check_fail");
  auto r = run_ok(t.text());
  auto as = r.attempts("o1");
  REQUIRE(as.size() == 2);
  // Attempt 1's answer arrives at 10 + 10 + 5000 = 5020ms, after the result.
  require_attempt(as[0], 1, 0, 5020 * ms, "timeout");
  require_attempt(as[1], 2, 3020 * ms, 3040 * ms, "ack");
  require_success(r.order_of("o1"), 1, 3040 * ms, "X-1", "150.25");
  CHECK(r.channels("o1") == ev_recovered);
  for (const auto& e : r.rows.events)
    CHECK(e.at_ns <= 3040 * ms);
  CHECK(r.fills("o1").size() == 1);
  CHECK(r.out.virtual_end == 5020 * ms);
}

TEST_CASE("executor: the last attempt fails with a network error after an "
          "earlier attempt may have created the order",
          "[executor]") {
  scenario_text t;
  // Attempt 1 fills X-1, answer lost, its check fails; attempts 2 and 3 fail
  // with network errors, the check after 2 fails too.
  t.body = order("o1") + fault("o1", 1, "drop_ack")
           + fault("o1", 1, "check_fail") + fault("o1", 2, "network_error")
           + fault("o1", 2, "check_fail") + fault("o1", 3, "network_error");
  // 0: attempt 1; timeout 2000; check -> 2020 failed; backoff 1s ->
  // attempt 2 at 3020 (fails at once); check -> 3040 failed; backoff 2s ->
  // attempt 3 at 5040 (fails at once); final check 5040 -> 5060.
  SECTION("the final check runs and finds the order: success") {
    auto r = run_ok(t.text());
    auto as = r.attempts("o1");
    REQUIRE(as.size() == 3);
    require_attempt(as[0], 1, 0, none_ns, "timeout");
    require_attempt(as[1], 2, 3020 * ms, 3020 * ms, "network_error",
                    "NETWORK_ERROR");
    require_attempt(as[2], 3, 5040 * ms, 5040 * ms, "network_error",
                    "NETWORK_ERROR");
    auto cs = r.checks("o1");
    REQUIRE(cs.size() == 3);
    require_check(cs[0], 1, 2000 * ms, 2020 * ms, "failed");
    require_check(cs[1], 2, 3020 * ms, 3040 * ms, "failed");
    require_check(cs[2], 3, 5040 * ms, 5060 * ms, "found", "X-1");
    require_success(r.order_of("o1"), 2, 5060 * ms, "X-1", "150.25");
    CHECK(r.channels("o1") == ev_recovered);
  }
  SECTION("check_drop on the final check: STATUS_UNKNOWN") {
    t.body += fault("o1", 3, "check_drop");
    auto r = run_ok(t.text());
    auto cs = r.checks("o1");
    REQUIRE(cs.size() == 3);
    require_check(cs[2], 3, 5040 * ms, none_ns, "timeout");
    // check_timeout 1s: 5040 + 1000.
    require_failure(r.order_of("o1"), 2, 6040 * ms, "STATUS_UNKNOWN");
    CHECK(r.channels("o1") == ev_failed);
    CHECK(r.fills("o1").size() == 1); // the exchange does hold X-1
  }
  SECTION("final_check = false: NETWORK_ERROR while the exchange filled") {
    t.executor += "final_check = false\n";
    auto r = run(t.text());
    CHECK_FALSE(r.out.pass);
    CHECK(r.checks("o1").size() == 2);
    require_failure(r.order_of("o1"), 2, 5040 * ms, "NETWORK_ERROR");
    CHECK(r.violations()
          == std::vector<std::string>{"result_matches_exchange:o1"});
  }
}

TEST_CASE("executor: final_check on vs off when the last attempt times out "
          "after a fill",
          "[executor]") {
  scenario_text t;
  t.executor = spec_executor;
  t.body = order("o1") + fault("o1", 1, "drop_request")
           + fault("o1", 2, "drop_request") + fault("o1", 3, "drop_ack");
  // attempts 0, 1520, 4040 (X-1 filled 4050, answer lost), timeout 4540.
  SECTION("on (default): the final check finds X-1: success") {
    auto r = run_ok(t.text());
    auto cs = r.checks("o1");
    REQUIRE(cs.size() == 3);
    require_check(cs[2], 3, 4540 * ms, 4560 * ms, "found", "X-1");
    require_success(r.order_of("o1"), 2, 4560 * ms, "X-1", "150.25");
    CHECK(r.channels("o1") == ev_recovered);
  }
  SECTION("off: failure TIMEOUT, result_matches_exchange violated") {
    t.executor += "final_check = false\n";
    auto r = run(t.text());
    CHECK_FALSE(r.out.pass);
    CHECK(r.checks("o1").size() == 2);
    require_failure(r.order_of("o1"), 2, 4540 * ms, "TIMEOUT");
    CHECK(r.fills("o1").size() == 1);
    CHECK(r.channels("o1") == ev_failed);
    CHECK(r.violations()
          == std::vector<std::string>{"result_matches_exchange:o1"});
    CHECK(r.out.violation_counts
          == std::map<std::string, std::uint64_t>{
            {"result_matches_exchange", 1}});
  }
  SECTION("off, with the violation expected: the run passes") {
    t.executor += "final_check = false\n";
    t.top = "expect_violations = [\"result_matches_exchange\"]\n";
    auto r = run(t.text());
    CHECK(r.out.pass);
  }
}

TEST_CASE("executor: accept + check_fail + drop_ack gives a second order and "
          "fill",
          "[executor]") {
  scenario_text t;
  t.executor = spec_executor;
  t.exchange += "on_duplicate_key = \"accept\"\n";
  t.body = order("o1") + fault("o1", 1, "drop_ack")
           + fault("o1", 1, "check_fail");
  auto r = run(t.text());
  CHECK_FALSE(r.out.pass);
  auto fs = r.fills("o1");
  REQUIRE(fs.size() == 2);
  CHECK(fs[0].exchange_order_id == "X-1");
  CHECK(fs[0].filled_at_ns == 10 * ms);
  CHECK(fs[1].exchange_order_id == "X-2");
  CHECK(fs[1].filled_at_ns == 1530 * ms);
  CHECK(fs[0].idem_key == fs[1].idem_key);
  require_check(r.checks("o1").at(0), 1, 500 * ms, 520 * ms, "failed");
  require_success(r.order_of("o1"), 1, 1540 * ms, "X-2", "150.25");
  CHECK(r.violations() == std::vector<std::string>{"one_fill_per_key:o1"});

  SECTION("return_existing instead: one order, one fill, no violation") {
    scenario_text u = t;
    u.exchange = "latency = \"10ms\"\n";
    auto q = run_ok(u.text());
    CHECK(q.fills("o1").size() == 1);
    require_success(q.order_of("o1"), 1, 1540 * ms, "X-1", "150.25");
  }
}

TEST_CASE("executor: the spec's worked timings", "[executor]") {
  scenario_text t;
  t.executor = spec_executor;
  t.body = order("o1");
  SECTION("drop_ack on attempt 1: success at 520ms") {
    t.body += fault("o1", 1, "drop_ack");
    auto r = run_ok(t.text());
    auto as = r.attempts("o1");
    REQUIRE(as.size() == 1);
    require_attempt(as[0], 1, 0, none_ns, "timeout");
    auto cs = r.checks("o1");
    REQUIRE(cs.size() == 1);
    require_check(cs[0], 1, 500 * ms, 520 * ms, "found", "X-1");
    require_success(r.order_of("o1"), 0, 520 * ms, "X-1", "150.25");
    CHECK(r.submits("o1") == 1);
    CHECK(r.fills("o1").size() == 1);
    CHECK(r.channels("o1") == ev_recovered);
  }
  SECTION("drop_request on attempt 1: success at 1540ms") {
    t.body += fault("o1", 1, "drop_request");
    auto r = run_ok(t.text());
    auto as = r.attempts("o1");
    REQUIRE(as.size() == 2);
    require_attempt(as[0], 1, 0, none_ns, "timeout");
    require_attempt(as[1], 2, 1520 * ms, 1540 * ms, "ack");
    auto cs = r.checks("o1");
    REQUIRE(cs.size() == 1);
    require_check(cs[0], 1, 500 * ms, 520 * ms, "not_found");
    require_success(r.order_of("o1"), 1, 1540 * ms, "X-1", "150.25");
    CHECK(r.channels("o1") == ev_recovered);
  }
  SECTION("drop_request on every attempt: failure at 4560ms") {
    t.body += fault_every_attempt("o1", "drop_request");
    auto r = run_ok(t.text());
    auto as = r.attempts("o1");
    REQUIRE(as.size() == 3);
    require_attempt(as[0], 1, 0, none_ns, "timeout");
    require_attempt(as[1], 2, 1520 * ms, none_ns, "timeout");
    require_attempt(as[2], 3, 4040 * ms, none_ns, "timeout");
    auto cs = r.checks("o1");
    REQUIRE(cs.size() == 3);
    require_check(cs[0], 1, 500 * ms, 520 * ms, "not_found");
    require_check(cs[1], 2, 2020 * ms, 2040 * ms, "not_found");
    require_check(cs[2], 3, 4540 * ms, 4560 * ms, "not_found");
    require_failure(r.order_of("o1"), 2, 4560 * ms, "TIMEOUT");
    CHECK(r.channels("o1") == ev_failed);
  }
}

TEST_CASE("executor: determinism", "[executor]") {
  scenario_text fixed;
  fixed.executor = spec_executor;
  fixed.body = order("o1") + fault("o1", 1, "drop_ack")
               + "[[orders]]\nid = \"o2\"\nquantity = 50\n\n"
               + fault("o2", 1, "drop_request");
  auto a = run_ok(fixed.text());
  auto b = run_ok(fixed.text());
  CHECK(a.out.digest == b.out.digest);
  CHECK(a.out.trace == b.out.trace);
  CHECK_FALSE(a.out.digest.empty());

  scenario_text random = fixed;
  random.exchange = "latency = { min = \"5ms\", max = \"50ms\" }\n";
  // Quantities 3..10 with o2's 5 would give o5 o2's key (distinct_keys).
  for (int i = 3; i <= 10; ++i)
    random.body += fmt::format("[[orders]]\nid = \"o{}\"\nquantity = {}\n\n",
                               i, i);
  auto s1 = run_ok(random.text(), 1);
  auto s1_again = run_ok(random.text(), 1);
  auto s2 = run_ok(random.text(), 2);
  CHECK(s1.out.digest == s1_again.out.digest);
  CHECK(s1.out.trace == s1_again.out.trace);
  CHECK(s1.out.digest != s2.out.digest);
  // Same seed, same times in every row.
  REQUIRE(s1.rows.orders.size() == s1_again.rows.orders.size());
  for (std::size_t i = 0; i < s1.rows.orders.size(); ++i)
    CHECK(s1.rows.orders[i].finished_at_ns
          == s1_again.rows.orders[i].finished_at_ns);
  // The seed in the file works as the override does.
  random.top = "seed = 2\n";
  CHECK(run_ok(random.text()).out.digest == s2.out.digest);
}

TEST_CASE("executor: jitter modes", "[executor]") {
  // 20 orders; attempts 1 and 2 fail at once (network error), so each wait
  // is the next send minus the previous check's answer (20ms round trip).
  auto text = [](const std::string& jitter, std::uint64_t seed) {
    scenario_text t;
    t.top = fmt::format("seed = {}\n", seed);
    t.executor = fmt::format("jitter = \"{}\"\n", jitter);
    for (int i = 1; i <= 20; ++i) {
      auto id = fmt::format("o{}", i);
      t.body += fmt::format("[[orders]]\nid = \"{}\"\nquantity = {}\n\n", id, i)
                + fault(id, 1, "network_error") + fault(id, 2, "network_error");
    }
    return t.text();
  };
  auto waits = [](const result& r) {
    std::vector<std::pair<ns_t, ns_t>> out; // (after attempt 1, after 2)
    for (int i = 1; i <= 20; ++i) {
      auto id = fmt::format("o{}", i);
      auto as = r.attempts(id);
      auto cs = r.checks(id);
      REQUIRE(as.size() == 3);
      REQUIRE(cs.size() == 2);
      CHECK(*cs[0].answered_at_ns == as[0].sent_at_ns + 20 * ms);
      out.emplace_back(as[1].sent_at_ns - *cs[0].answered_at_ns,
                       as[2].sent_at_ns - *cs[1].answered_at_ns);
      CHECK(opt(r.order_of(id).success) == "true");
    }
    return out;
  };

  SECTION("none: exactly 1s, 2s") {
    for (const auto& [w1, w2] : waits(run_ok(text("none", 7)))) {
      CHECK(w1 == 1 * s);
      CHECK(w2 == 2 * s);
    }
  }
  SECTION("full: in [0, base], the same for the same seed") {
    auto a = waits(run_ok(text("full", 7)));
    auto b = waits(run_ok(text("full", 7)));
    auto c = waits(run_ok(text("full", 8)));
    CHECK(a == b);
    CHECK(a != c);
    std::set<ns_t> distinct;
    for (const auto& [w1, w2] : a) {
      CHECK(w1 >= 0);
      CHECK(w1 <= 1 * s);
      CHECK(w2 >= 0);
      CHECK(w2 <= 2 * s);
      distinct.insert(w1);
    }
    CHECK(distinct.size() > 10); // jitter does spread the orders
  }
  SECTION("equal: in [base/2, base]") {
    auto a = waits(run_ok(text("equal", 7)));
    CHECK(a == waits(run_ok(text("equal", 7))));
    for (const auto& [w1, w2] : a) {
      CHECK(w1 >= 500 * ms);
      CHECK(w1 <= 1 * s);
      CHECK(w2 >= 1 * s);
      CHECK(w2 <= 2 * s);
    }
  }
  SECTION("decorrelated: in [initial, 3 x previous]") {
    auto a = waits(run_ok(text("decorrelated", 7)));
    CHECK(a == waits(run_ok(text("decorrelated", 7))));
    for (const auto& [w1, w2] : a) {
      CHECK(w1 >= 1 * s);
      CHECK(w1 <= 3 * s);
      CHECK(w2 >= 1 * s);
      CHECK(w2 <= 3 * w1);
    }
  }
}

TEST_CASE("executor: 10,000 concurrent orders in one run", "[executor]") {
  scenario_text t;
  constexpr int n = 10'000;
  t.body.reserve(static_cast<std::size_t>(n) * 80);
  for (int i = 1; i <= n; ++i)
    t.body += fmt::format("[[orders]]\nid = \"o{}\"\nquantity = {}\n\n", i, i);
  auto r = run_ok(t.text());
  CHECK(r.out.orders == static_cast<std::uint64_t>(n));
  CHECK(r.out.successes == static_cast<std::uint64_t>(n));
  CHECK(r.out.fills == static_cast<std::uint64_t>(n));
  CHECK(r.out.virtual_end == 20 * ms);
  REQUIRE(r.rows.orders.size() == static_cast<std::size_t>(n));
  std::set<std::string> keys;
  std::size_t exact = 0;
  for (const auto& o : r.rows.orders) {
    keys.insert(o.idem_key);
    if (o.success == std::optional<bool>{true} && o.retry_count == 0
        && o.finished_at_ns == std::optional<ns_t>{20 * ms}
        && o.fill_price == std::optional<std::string>{"150.25"})
      ++exact;
  }
  CHECK(exact == static_cast<std::size_t>(n));
  CHECK(keys.size() == static_cast<std::size_t>(n));
  CHECK(r.rows.attempts.size() == static_cast<std::size_t>(n));
  CHECK(r.rows.fills.size() == static_cast<std::size_t>(n));
  CHECK(r.rows.checks.empty());
  CHECK(r.rows.events.size() == static_cast<std::size_t>(2 * n));
}
