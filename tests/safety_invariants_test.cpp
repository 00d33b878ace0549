// no_orphan_fill and no_duplicate_exposure: exact violation rows and
// virtual times, the shipped scenarios that break and hold each, the
// boundary with one_fill_per_key, explore and the shrinker.
#include "libexec/explore/explorer.hpp"
#include "libexec/explore/shrinker.hpp"
#include "libexec/run/runner.hpp"
#include "sim/exchange_ledger.hpp"
#include "sim/order_safety.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_writer.hpp"

#include <catch2/catch.hpp>

#include "tests/violation_rows.hpp"

#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::violation_rows;

namespace {

std::string shipped(const std::string& name) {
  return std::string{EXECSIM_SOURCE_DIR} + "/scenarios/" + name;
}

scenario load_file(const std::string& path) {
  auto r = load_scenario_file(path);
  REQUIRE(r.errors.empty());
  return *r.value;
}

scenario load(const std::string& text) {
  auto r = load_scenario_text(text, "safety.toml");
  REQUIRE(r.errors.empty());
  return *r.value;
}

// A resting limit order whose ack is lost, on a venue whose status
// queries lag by `lag` (600ms: the check misses it).
std::string resting_twice(const std::string& lag) {
  return R"(name = "resting twice"
[executor]
submit_timeout = "500ms"
[exchange]
latency = "10ms"
on_duplicate_key = "accept"
lookup_lag = ")" + lag + R"("
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
quantity = 100
price = "149.00"
[[faults]]
order = "o1"
attempt = 1
kind = "drop_ack"
)";
}

const std::string exposure_detail =
  "at 1.530s X-2 opened while X-1 of key T1:AAPL:100:149.00:t+0:v1 was "
  "still live (filled 0 of 100): two live orders for one key";

submit_msg submit_for(const std::string& key) {
  submit_msg m;
  m.idem_key = key;
  return m;
}

} // namespace

TEST_CASE("no_duplicate_exposure: a resting order submitted twice, at the "
          "virtual time the second opens",
          "[safety]") {
  auto out = run_scenario(load(resting_twice("600ms")), run_options{});
  CHECK_FALSE(out.pass);
  CHECK(violation_rows(out)
        == std::vector<std::string>{
          "one_fill_per_key o1: key T1:AAPL:100:149.00:t+0:v1 has 2 orders "
          "at the exchange (X-1, X-2)",
          "no_duplicate_exposure o1: " + exposure_detail});
  CHECK(out.check_failures
        == std::vector<std::string>{
          "invariant no_duplicate_exposure violated 1 time",
          "invariant one_fill_per_key violated 1 time"});
}

TEST_CASE("no_duplicate_exposure holds when the first order filled before "
          "the second opened (one_fill_per_key alone reports the key)",
          "[safety]") {
  auto out = run_scenario(
    load_file(shipped("venue/lookup_lag_check_misses.toml")), run_options{});
  CHECK(out.pass);
  CHECK(out.violation_counts
        == std::map<std::string, std::uint64_t>{{"one_fill_per_key", 1}});
}

TEST_CASE("no_duplicate_exposure holds when the check finds the resting "
          "order",
          "[safety]") {
  auto out = run_scenario(load(resting_twice("300ms")), run_options{});
  CHECK(out.pass);
  CHECK(out.violation_counts.empty());
}

TEST_CASE("no_duplicate_exposure: live runs from created until fully filled",
          "[safety]") {
  order_spec spec;
  spec.id = "o1";
  spec.quantity = 10;
  exchange_ledger book;
  auto& x1 = book.create(0, submit_for("k"), spec);
  x1.filled = 10;
  x1.filled_up_at = 2000; // filled up at the instant X-2 opens: not live
  book.create(2000, submit_for("k"), spec);
  CHECK(check_no_duplicate_exposure(book).empty());
  x1.filled_up_at = 2001; // one nanosecond later: both live at 2000
  auto v = check_no_duplicate_exposure(book);
  REQUIRE(v.size() == 1);
  CHECK(v[0].detail
        == "at 0.000s X-2 opened while X-1 of key k was still live (filled "
           "10 of 10): two live orders for one key");
  // A third order is not reported again for the same key.
  x1.filled_up_at.reset();
  book.create(5000, submit_for("k"), spec);
  CHECK(check_no_duplicate_exposure(book).size() == 1);
}

TEST_CASE("no_orphan_fill: a success naming another order than the "
          "exchange's, and the reconciler's hook",
          "[safety]") {
  order_spec spec;
  spec.id = "o2";
  spec.quantity = 50;
  exchange_ledger book;
  book.create(0, submit_for("k1"), spec);
  auto& x2 = book.create(0, submit_for("k2"), spec);
  x2.filled = 50;
  order_state o;
  o.spec = spec;
  o.idem_key = "k2";
  execution_result r;
  r.success = true;
  r.exchange_order = 1; // X-1: another key's order
  o.result = r;
  reconciled_orders none;
  auto v = check_no_orphan_fill(o, book, none);
  REQUIRE(v);
  CHECK(v->invariant == "no_orphan_fill");
  CHECK(v->detail
        == "reported success (X-1) but the exchange's order for key k2 is "
           "X-2 (filled 50 of 50): no result names it");
  CHECK_FALSE(check_no_orphan_fill(o, book, reconciled_orders{2}));
  o.result->exchange_order = 0;
  REQUIRE(check_no_orphan_fill(o, book, none));
  CHECK(check_no_orphan_fill(o, book, none)->detail.rfind(
          "reported success (no order) but", 0)
        == 0);
  o.result->exchange_order = 2;
  CHECK_FALSE(check_no_orphan_fill(o, book, none));
  // Failures are result_matches_exchange's (or, STATUS_UNKNOWN, flagged for
  // reconciliation); a key with two orders is one_fill_per_key's.
  o.result->success = false;
  o.result->error_code = "STATUS_UNKNOWN";
  CHECK_FALSE(check_no_orphan_fill(o, book, none));
  o.result->success = true;
  o.result->exchange_order = 1;
  book.create(10, submit_for("k2"), spec);
  CHECK_FALSE(check_no_orphan_fill(o, book, none));
}

TEST_CASE("shipped safety scenarios: each invariant breaks in one and holds "
          "in another",
          "[safety]") {
  auto orphan =
    run_scenario(load_file(shipped("safety/orphan_fill_stale_order_id.toml")),
                 run_options{});
  CHECK(orphan.pass);
  CHECK(violation_rows(orphan)
        == std::vector<std::string>{
          "no_orphan_fill o2: reported success (X-1) but the exchange's "
          "order for key stale-o2 is X-2 (filled 50 of 50): no result names "
          "it"});
  auto found =
    run_scenario(load_file(shipped("safety/orphan_fill_found_by_check.toml")),
                 run_options{});
  CHECK(found.pass);
  CHECK(found.violation_counts.empty());
  auto twice = run_scenario(
    load_file(shipped("safety/duplicate_exposure_resting_limit.toml")),
    run_options{});
  CHECK(twice.pass);
  CHECK(twice.violation_counts
        == std::map<std::string, std::uint64_t>{
          {"no_duplicate_exposure", 1}, {"one_fill_per_key", 1}});
  auto once = run_scenario(
    load_file(shipped("safety/duplicate_exposure_check_in_time.toml")),
    run_options{});
  CHECK(once.pass);
  CHECK(once.violation_counts.empty());
}

TEST_CASE("expect_violations accepts both names", "[safety]") {
  auto r = load_scenario_text(
    "name = \"names\"\n"
    "expect_violations = [\"no_orphan_fill\", \"no_duplicate_exposure\"]\n"
    "[[orders]]\nid = \"o1\"\n",
    "names.toml");
  CHECK(r.errors.empty());
  auto out = run_scenario(*r.value, run_options{});
  CHECK(out.check_failures
        == std::vector<std::string>{
          "expected a violation of no_orphan_fill, but none occurred",
          "expected a violation of no_duplicate_exposure, but none "
          "occurred"});
}

TEST_CASE("explore reports no_duplicate_exposure and the shrinker keeps it "
          "as its target",
          "[safety][explore]") {
  auto sc = load(resting_twice("600ms") + R"(
[[orders]]
id = "o2"
trader = "T2"
[explore]
drop_ack = 0.1
)");
  explore_settings s;
  s.seeds = 4;
  auto report = explore(sc, s);
  // A seed's first violation names it; one_fill_per_key is reported
  // first (both at the end of the run), no_duplicate_exposure counted too.
  REQUIRE(report.failures.size() == 4);
  for (const auto& f : report.failures) {
    CHECK(f.invariant == "one_fill_per_key");
    CHECK(f.violation_counts
          == std::map<std::string, std::uint64_t>{
            {"no_duplicate_exposure", 1}, {"one_fill_per_key", 1}});
  }
  runtime rt;
  const auto& first = report.failures.front();
  auto r = shrink(sc, first.seed, first.fired, "no_duplicate_exposure", rt);
  REQUIRE(r.reproduced);
  CHECK(r.minimal.orders.size() == 1);
  CHECK(r.minimal.orders.front().id == "o1");
  CHECK(r.minimal.expect_violations
        == std::vector<std::string>{"no_duplicate_exposure",
                                    "one_fill_per_key"});
  auto reloaded = load_scenario_text(to_toml(r.minimal), "minimal.toml");
  REQUIRE(reloaded.errors.empty());
  CHECK(run_scenario(*reloaded.value, run_options{}).pass);
}
