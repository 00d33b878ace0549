// Property test: thousands of random scenarios (every fault kind, random
// pairs of faults on one attempt, random settings), built in memory from a
// counter-based PRNG (sim/rng.hpp), each run through the runner. For each:
// the run ends (no limit, every order gets exactly one result), the
// invariants that must hold under its settings hold, and a sample runs
// twice to the same digest. Some also draw random faults ([explore], every
// kind's chance, boundary targeting included).
//
// Sized to stay well under ~20 s in the release build; under a sanitizer
// (ASan is 5-10x slower) it runs a quarter of the scenarios.
// EXECSIM_PROPERTY_SCENARIOS=N overrides the count.
#include "libexec/run/runner.hpp"
#include "sim/probes.hpp"
#include "sim/rng.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace execsim;

#if defined(__SANITIZE_ADDRESS__)
#define EXECSIM_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EXECSIM_TEST_SANITIZED 1
#endif
#endif
#ifndef EXECSIM_TEST_SANITIZED
#define EXECSIM_TEST_SANITIZED 0
#endif

namespace {

constexpr ns_t ms = 1'000'000;
constexpr std::uint64_t property_seed = 0x5EEDFA017ULL;

std::size_t scenario_count() {
  if (const char* n = std::getenv("EXECSIM_PROPERTY_SCENARIOS"))
    return static_cast<std::size_t>(std::strtoull(n, nullptr, 10));
  return EXECSIM_TEST_SANITIZED ? 5000 : 20000;
}

/// Draws for scenario `index`, one counter per draw: a pure function of
/// (index, counter), so one scenario never depends on another.
class gen {
public:
  explicit gen(std::uint64_t index) : index_(index) {
  }
  std::uint64_t word() {
    return draw(property_seed, rng_stream::orders, index_, ++counter_);
  }
  std::int64_t in(std::int64_t lo, std::int64_t hi) {
    return between(word(), lo, hi);
  }
  bool chance(double p) {
    return unit_interval(word()) < p;
  }
  template <class T>
  const T& pick(const std::vector<T>& xs) {
    return xs[below(word(), xs.size())];
  }

private:
  std::uint64_t index_;
  std::uint64_t counter_ = 0;
};

decimal price(const std::string& text) {
  std::string error;
  return *decimal::parse(text, error);
}

const std::vector<fault_kind> all_kinds = {
  fault_kind::drop_request, fault_kind::drop_ack,   fault_kind::delay_ack,
  fault_kind::network_error, fault_kind::reject,    fault_kind::check_fail,
  fault_kind::check_drop,   fault_kind::outage,    fault_kind::delay_check};

void random_settings(gen& g, scenario& sc) {
  auto& ex = sc.executor;
  ex.max_attempts = static_cast<int>(g.in(1, 4));
  ex.initial_backoff = g.in(1, 1500) * ms;
  ex.backoff_multiplier = static_cast<double>(g.in(10, 30)) / 10.0;
  ex.jitter = g.pick(std::vector<jitter_mode>{
    jitter_mode::none, jitter_mode::full, jitter_mode::equal,
    jitter_mode::decorrelated});
  if (ex.jitter == jitter_mode::decorrelated || g.chance(0.2))
    ex.max_backoff = g.in(1000, 5000) * ms;
  ex.final_check = g.chance(0.8);
  auto& x = sc.exchange;
  x.latency.min = g.in(0, 30) * ms;
  x.latency.max = g.chance(0.5) ? x.latency.min : x.latency.min + g.in(1, 40) * ms;
  // An answer in time is possible: the timeouts exceed one round trip.
  ex.submit_timeout = 2 * x.latency.max + g.in(1, 1500) * ms;
  ex.check_timeout = 2 * x.latency.max + g.in(1, 1500) * ms;
  x.on_duplicate_key = g.pick(std::vector<duplicate_policy>{
    duplicate_policy::return_existing, duplicate_policy::return_existing,
    duplicate_policy::reject, duplicate_policy::accept});
  x.prices.emplace("AAPL", price("150.25"));
}

void random_orders(gen& g, scenario& sc) {
  auto n = g.in(1, 4);
  for (std::int64_t i = 0; i < n; ++i) {
    order_spec o;
    o.id = fmt::format("o{}", i + 1);
    o.at = g.in(0, 2000) * ms;
    o.side = g.chance(0.5) ? order_side::buy : order_side::sell;
    o.quantity = g.in(1, 500);
    // Market, marketable limit, resting limit, or a symbol with no market.
    switch (g.in(0, 3)) {
      case 0: break;
      case 1: o.price = price(o.side == order_side::buy ? "151" : "149"); break;
      case 2: o.price = price(o.side == order_side::buy ? "149" : "151"); break;
      case 3: o.symbol = "MSFT"; break;
    }
    o.timestamp = fmt::format("2025-10-17T14:30:{:02}Z", i);
    sc.orders.push_back(std::move(o));
  }
}

fault_spec random_fault(gen& g, const scenario& sc, fault_kind kind) {
  fault_spec f;
  f.kind = kind;
  if (kind == fault_kind::outage) {
    f.from = g.in(0, 6000) * ms;
    f.until = f.from + g.in(1, 3000) * ms;
    return f;
  }
  if (g.chance(0.8))
    f.order = sc.orders[below(g.word(), sc.orders.size())].id;
  if (g.chance(0.8))
    f.attempt = static_cast<int>(g.in(1, sc.executor.max_attempts));
  f.delay = g.in(1, 4000) * ms;
  f.code = g.pick(std::vector<std::string>{"RATE_LIMITED", "RATE_LIMITED",
                                           "INSUFFICIENT_FUNDS",
                                           "DUPLICATE_CLIENT_ORDER_ID"});
  return f;
}

void random_faults(gen& g, scenario& sc) {
  auto singles = g.in(0, 3);
  for (std::int64_t i = 0; i < singles; ++i)
    sc.faults.push_back(random_fault(g, sc, g.pick(all_kinds)));
  // A pair of kinds on one attempt of one order (and the check after it).
  if (g.chance(0.7)) {
    auto a = random_fault(g, sc, g.pick(all_kinds));
    auto b = random_fault(g, sc, g.pick(all_kinds));
    b.order = a.order;
    b.attempt = a.attempt;
    sc.faults.push_back(a);
    sc.faults.push_back(b);
  }
}

void random_explore(gen& g, scenario& sc) {
  auto& e = sc.explore;
  e.present = true;
  auto p = [&] { return g.chance(0.5) ? 0.0 : static_cast<double>(g.in(1, 30)) / 100.0; };
  e.drop_request = p();
  e.drop_ack = p();
  e.delay_ack = p();
  e.delay_ack_max = g.in(1, 3000) * ms;
  e.network_error = p();
  e.reject = p();
  e.reject_codes = {"RATE_LIMITED", "RISK_VIOLATION"};
  e.check_fail = p();
  e.check_drop = p();
  e.outage = p() / 4;
  e.outage_max = g.in(1, 3000) * ms;
  e.delay_check = p();
  e.delay_check_max = g.in(1, 3000) * ms;
  // Some delays (ack, check) and outages placed at the timeout edges too.
  e.boundary = p();
}

struct case_ {
  scenario sc;
  bool explore = false;
};

case_ random_case(std::uint64_t index) {
  gen g(index);
  case_ c;
  c.sc.name = fmt::format("property {}", index);
  c.sc.seed = g.word();
  random_settings(g, c.sc);
  random_orders(g, c.sc);
  random_faults(g, c.sc);
  if (g.chance(0.3)) {
    random_explore(g, c.sc);
    c.explore = true;
  }
  return c;
}

/// The invariants that must hold under these settings (see the scenario
/// format's invariants): `terminal` always; `one_fill_per_key` unless the
/// exchange accepts a known key again; `result_matches_exchange` when the
/// executor asks once more before failing an order the exchange may hold.
std::vector<std::string> must_hold(const scenario& sc) {
  std::vector<std::string> names = {"terminal"};
  if (sc.exchange.on_duplicate_key != duplicate_policy::accept)
    names.push_back("one_fill_per_key");
  if (sc.executor.final_check)
    names.push_back("result_matches_exchange");
  return names;
}

std::string describe(const case_& c) {
  std::string s = fmt::format(
    "{} seed={} explore={} attempts={} backoff={} x{} jitter={} "
    "submit_timeout={} check_timeout={} final_check={} latency={}..{} "
    "dup={}\n",
    c.sc.name, c.sc.seed, c.explore, c.sc.executor.max_attempts,
    c.sc.executor.initial_backoff, c.sc.executor.backoff_multiplier,
    to_string(c.sc.executor.jitter), c.sc.executor.submit_timeout,
    c.sc.executor.check_timeout, c.sc.executor.final_check,
    c.sc.exchange.latency.min, c.sc.exchange.latency.max,
    to_string(c.sc.exchange.on_duplicate_key));
  for (const auto& o : c.sc.orders)
    s += fmt::format("  order {} at={} {} {} {} {}\n", o.id, o.at,
                     to_string(o.side), o.quantity, o.symbol,
                     o.price ? o.price->to_string() : "MKT");
  for (const auto& f : c.sc.faults)
    s += fmt::format("  fault {} order={} attempt={} delay={} code={} "
                     "window={}..{}\n",
                     to_string(f.kind), f.order.value_or("*"),
                     f.attempt ? std::to_string(*f.attempt) : "*", f.delay,
                     f.code, f.from, f.until);
  return s;
}

} // namespace

TEST_CASE("property: random scenarios end, keep their invariants and are "
          "deterministic", "[property]") {
  runtime rt;
  auto n = scenario_count();
  std::size_t kinds_fired = 0;
  std::map<std::string, std::uint64_t> fired;
  std::array<std::uint64_t, probe_count> reached{};
  for (std::uint64_t i = 0; i < n; ++i) {
    auto c = random_case(i);
    run_options opt;
    opt.explore = c.explore;
    auto out = run_scenario(c.sc, opt, &rt);
    INFO(describe(c));
    REQUIRE(out.error.empty());
    REQUIRE(out.statuses.started == c.sc.orders.size());
    REQUIRE(out.statuses.executed + out.statuses.failed
            == c.sc.orders.size());
    for (const auto& name : must_hold(c.sc)) {
      INFO(name);
      auto v = out.violation_counts.find(name);
      REQUIRE(v == out.violation_counts.end());
    }
    for (const auto& [kind, count] : out.faults_by_kind)
      fired[kind] += count;
    for (std::size_t p = 0; p < probe_count; ++p)
      reached[p] += out.probes.test(p) ? 1 : 0;
    if (i % 40 == 0) {
      auto again = run_scenario(c.sc, opt, &rt);
      REQUIRE(again.digest == out.digest);
      auto alone = run_scenario(c.sc, opt); // a runtime of its own
      REQUIRE(alone.digest == out.digest);
    }
  }
  // Every fault kind fired somewhere.
  for (auto k : all_kinds)
    if (fired[to_string(k)] > 0)
      ++kinds_fired;
  CHECK(kinds_fired == all_kinds.size());
  // ... and every kind there is was generated: a new one must join.
  CHECK(all_kinds.size() == static_cast<std::size_t>(last_fault_kind) + 1);
  // The instants only [explore] boundary reaches (an ack, a check's answer
  // at its timeout) were met, so the invariants held there too (20,000
  // scenarios reach them 16 and 9 times, 5,000 6 and 3).
  if (n >= 5000) {
    CHECK(reached[static_cast<std::size_t>(probe::ack_at_timeout)] > 0);
    CHECK(reached[static_cast<std::size_t>(probe::check_answer_at_timeout)]
          > 0);
  }
}
