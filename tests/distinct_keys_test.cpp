// distinct_keys: two orders of a run that use one idempotency key. The
// original key format has no side, so a buy and a sell of one trader,
// symbol, quantity and timestamp share a key and the exchange answers the
// sell with the buy's order. `execsim run` and `execsim explore` both find
// it; the loader warns about it before the run.
#include "libexec/explore/explorer.hpp"
#include "libexec/explore/shrinker.hpp"
#include "libexec/run/runner.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_writer.hpp"

#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/violation_rows.hpp"

#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::violation_rows;
using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;

namespace {

// The buy is orders[1] at line 6, the sell orders[2] at line 11.
const std::string buy_and_sell = R"(name = "buy and sell, one key"

[exchange.prices]
AAPL = "150.25"

[[orders]]
id = "buy"
quantity = 100
timestamp = "2025-10-17T14:30:00Z"

[[orders]]
id = "sell"
side = "sell"
quantity = 100
timestamp = "2025-10-17T14:30:00Z"
)";

const std::string violation_detail =
  "key T1:AAPL:100:MKT:2025-10-17T14:30:00Z:v1 is also the key of order "
  "buy: the exchange takes them for one order";

scenario load(const std::string& text) {
  auto r = load_scenario_text(text, "keys.toml");
  REQUIRE(r.errors.empty());
  return *r.value;
}

} // namespace

TEST_CASE("a buy and a sell with one key break distinct_keys",
          "[distinct_keys]") {
  auto out = run_scenario(load(buy_and_sell), run_options{});
  CHECK_FALSE(out.pass);
  CHECK(violation_rows(out)
        == std::vector<std::string>{"distinct_keys sell: " + violation_detail});
  CHECK(out.violation_counts
        == std::map<std::string, std::uint64_t>{{"distinct_keys", 1}});
  CHECK(out.check_failures
        == std::vector<std::string>{"invariant distinct_keys violated 1 time"});
  // What the flaw does: one trade, and both orders report it as theirs.
  CHECK(out.fills == 1);
  CHECK(out.successes == 2);

  SECTION("expect_violations names it: the run passes") {
    auto out2 = run_scenario(
      load("expect_violations = [\"distinct_keys\"]\n" + buy_and_sell),
      run_options{});
    CHECK(out2.pass);
    CHECK(out2.check_failures.empty());
  }
}

TEST_CASE("distinct_keys: a third order with the key is reported too, "
          "against the first",
          "[distinct_keys]") {
  auto out = run_scenario(load(buy_and_sell + R"(
[[orders]]
id = "again"
at = "1s"
quantity = 100
timestamp = "2025-10-17T14:30:00Z"
)"),
                          run_options{});
  CHECK(violation_rows(out)
        == std::vector<std::string>{
          "distinct_keys sell: " + violation_detail,
          "distinct_keys again: key T1:AAPL:100:MKT:2025-10-17T14:30:00Z:v1 "
          "is also the key of order buy: the exchange takes them for one "
          "order"});
}

TEST_CASE("distinct_keys holds for retries of one order and for orders "
          "with different timestamps",
          "[distinct_keys]") {
  auto text = buy_and_sell;
  text.replace(text.rfind("14:30:00Z"), 9, "14:30:01Z");
  text += R"(
[[faults]]
order = "buy"
attempt = 1
kind = "drop_request"
)";
  auto out = run_scenario(load(text), run_options{});
  CHECK(out.pass);
  CHECK(out.violation_counts.empty());
}

TEST_CASE("explore finds distinct_keys on every seed and shrinks it to the "
          "two orders",
          "[distinct_keys][explore]") {
  auto sc = load(buy_and_sell + R"(
[[orders]]
id = "other"
trader = "T2"

[explore]
drop_ack = 0.2
)");
  explore_settings s;
  s.seeds = 10;
  auto report = explore(sc, s);
  REQUIRE(report.failures.size() == 10);
  for (const auto& f : report.failures) {
    CHECK(f.invariant == "distinct_keys");
    CHECK(f.order == "sell");
    CHECK(f.detail == violation_detail);
  }
  runtime rt;
  const auto& first = report.failures.front();
  auto r = shrink(sc, first.seed, first.fired, "distinct_keys", rt);
  REQUIRE(r.reproduced);
  CHECK(r.minimal.orders.size() == 2);
  CHECK(r.minimal.faults.empty());
  auto reloaded = load_scenario_text(to_toml(r.minimal), "minimal.toml");
  REQUIRE(reloaded.errors.empty());
  CHECK(reloaded.warnings.empty()); // it expects the violation
  CHECK(run_scenario(*reloaded.value, run_options{}).pass);
}

TEST_CASE("execsim run and explore print the shared key's warning and "
          "fail on the violation",
          "[distinct_keys][cli]") {
  scratch_dir dir;
  auto file = dir.write("keys.toml", buy_and_sell);
  auto warning = file
                 + ":11:1: warning: orders[2]: order \"sell\" has the same "
                   "idempotency key as order \"buy\" (orders[1], line 6), "
                   "\"T1:AAPL:100:MKT:2025-10-17T14:30:00Z:v1\": the exchange "
                   "takes them for one order (the key holds no side; a "
                   "different timestamp gives another key)\n";
  auto run = execsim_cli(dir, "run " + file + " --db " + dir.file("r.sqlite"));
  INFO(run.out);
  CHECK(run.status == 1);
  CHECK(run.out.find(warning) != std::string::npos);
  CHECK(run.out.find("invariant distinct_keys violated 1 time")
        != std::string::npos);

  auto ex = execsim_cli(dir, "explore " + file + " --seeds 3 -q --no-shrink "
                               "--db " + dir.file("e.sqlite"));
  INFO(ex.out);
  CHECK(ex.status == 1);
  CHECK(ex.out.find(warning) != std::string::npos);
  CHECK(ex.out.find("distinct_keys") != std::string::npos);
}

TEST_CASE("a warning alone leaves the exit status 0", "[distinct_keys][cli]") {
  scratch_dir dir;
  auto file = dir.write("typo.toml", R"(name = "a typo"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
symbol = "ZZZZ"
)");
  auto run = execsim_cli(dir, "run " + file + " --db " + dir.file("r.sqlite"));
  INFO(run.out);
  CHECK(run.status == 0);
  CHECK(run.out.find(file
                     + ":6:10: warning: orders[1].symbol: order \"o1\": "
                       "symbol \"ZZZZ\" has no price in [exchange.prices], "
                       "so it will rest unfilled (priced: AAPL)\n")
        != std::string::npos);
  CHECK(run.out.find("1 passed, 0 failed, 0 errors") != std::string::npos);
}

TEST_CASE("execsim run --executor builtin warns about a process file's "
          "shared keys (the warning follows the executor that runs)",
          "[distinct_keys][cli]") {
  scratch_dir dir;
  auto file = dir.write("keys.toml", buy_and_sell
                                       + "\n[executor]\nkind = \"process\"\n"
                                         "command = [\"/bin/false\"]\n");
  auto run = execsim_cli(dir, "run " + file + " --executor builtin --db "
                                + dir.file("r.sqlite"));
  INFO(run.out);
  CHECK(run.status == 1);
  CHECK(run.out.find(file + ":11:1: warning: orders[2]: order \"sell\" has "
                            "the same idempotency key")
        != std::string::npos);
  CHECK(run.out.find("invariant distinct_keys violated 1 time")
        != std::string::npos);
}
