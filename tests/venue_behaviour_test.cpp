// Venues that are not ideal (#17): lookup_lag (status queries lag behind
// order creation) and key_ttl (keys are forgotten), at their exact edges.
// The shipped files in scenarios/venue/ hold the hand-computed timelines;
// here each is run with its setting one nanosecond either side of the edge.
#include "libexec/explore/explorer.hpp"
#include "libexec/explore/shrinker.hpp"
#include "libexec/run/runner.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_writer.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"

#include <string>

using namespace execsim;
using execsim::testing::slurp;

namespace {

std::string shipped(const std::string& name) {
  return slurp(std::string{EXECSIM_SOURCE_DIR} + "/scenarios/venue/" + name);
}

/// `text` with `from` replaced once by `to` (the setting under test).
std::string with(std::string text, const std::string& from,
                 const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

run_outcome run_text(const std::string& text) {
  auto r = load_scenario_text(text, "venue.toml");
  INFO((r.errors.empty() ? "" : r.errors[0].to_string()));
  REQUIRE(r.errors.empty());
  return run_scenario(*r.value, run_options{});
}

/// The same file without its expectations, so the outcome itself is judged.
std::string bare(std::string text) {
  auto expect = text.find("\n[[expect]]");
  if (expect != std::string::npos)
    text.erase(expect);
  const std::string expected = "expect_violations = [\"one_fill_per_key\"]\n";
  if (auto at = text.find(expected); at != std::string::npos)
    text.erase(at, expected.size());
  return text;
}

} // namespace

TEST_CASE("lookup_lag: a check finds an order from created + lookup_lag on",
          "[venue]") {
  // X-1 created at 10ms; the check reaches the exchange at 510ms.
  auto base = shipped("lookup_lag_check_in_time.toml");
  SECTION("500ms: visible at 510ms exactly, found") {
    auto out = run_text(base);
    CHECK(out.pass);
    CHECK(out.fills == 1);
    CHECK(out.virtual_end == 520'000'000);
    CHECK(out.violations.empty());
  }
  SECTION("500ms + 1ns: not found, a second order") {
    auto out = run_text(bare(with(base, "lookup_lag = \"500ms\"",
                                  "lookup_lag = \"500000001ns\"")));
    CHECK(out.fills == 2);
    CHECK(out.virtual_end == 1'540'000'000);
    REQUIRE(out.violations.size() == 1);
    CHECK(out.violations[0].invariant == "one_fill_per_key");
  }
  SECTION("the shipped double order passes as the file expects it") {
    auto out = run_text(shipped("lookup_lag_check_misses.toml"));
    CHECK(out.pass);
    CHECK(out.fills == 2);
    CHECK(out.violation_counts.at("one_fill_per_key") == 1);
  }
  SECTION("0s is the ideal venue") {
    auto out = run_text(with(base, "lookup_lag = \"500ms\"",
                             "lookup_lag = \"0s\""));
    CHECK(out.pass);
    CHECK(out.virtual_end == 520'000'000);
  }
}

TEST_CASE("key_ttl: a key is remembered until created + key_ttl", "[venue]") {
  // X-1 created at 10ms; the retry reaches the exchange at 3030ms.
  auto base = shipped("key_ttl_forgets_the_key.toml");
  SECTION("3s: forgotten, the retry is a new order") {
    auto out = run_text(base);
    CHECK(out.pass);
    CHECK(out.fills == 2);
    CHECK(out.violation_counts.at("one_fill_per_key") == 1);
  }
  SECTION("3020ms: forgotten at 3030ms exactly") {
    auto out = run_text(bare(with(base, "key_ttl = \"3s\"",
                                  "key_ttl = \"3020ms\"")));
    CHECK(out.fills == 2);
    REQUIRE(out.violations.size() == 1);
  }
  SECTION("3020ms + 1ns: remembered, the retry gets X-1") {
    auto out = run_text(bare(with(base, "key_ttl = \"3s\"",
                                  "key_ttl = \"3020000001ns\"")));
    CHECK(out.pass);
    CHECK(out.fills == 1);
    CHECK(out.virtual_end == 3'040'000'000);
    CHECK(out.violations.empty());
  }
}

TEST_CASE("venue settings: read, refused when malformed, kept by the writer",
          "[venue][scenario_loader]") {
  auto text = shipped("lookup_lag_check_misses.toml");
  text = with(text, "lookup_lag = \"600ms\"",
              "lookup_lag = \"600ms\"\nkey_ttl = \"1h\"");
  auto r = load_scenario_text(text, "venue.toml");
  REQUIRE(r.errors.empty());
  CHECK(r.value->exchange.lookup_lag == 600'000'000);
  CHECK(r.value->exchange.key_ttl == std::optional<ns_t>{3'600'000'000'000});
  // A minimal file written by explore keeps them.
  auto again = load_scenario_text(to_toml(*r.value), "again.toml");
  REQUIRE(again.errors.empty());
  CHECK(again.value->exchange.lookup_lag == 600'000'000);
  CHECK(again.value->exchange.key_ttl == r.value->exchange.key_ttl);

  auto bad = load_scenario_text(R"(name = "bad venue"
[exchange]
lookup_lag = "-1ms"
key_ttl = "0s"
)",
                                "bad.toml");
  REQUIRE(bad.errors.size() == 2);
  CHECK(bad.errors[0].to_string().rfind("bad.toml:3:14: exchange.lookup_lag: ",
                                        0)
        == 0);
  CHECK(bad.errors[1].to_string().rfind("bad.toml:4:11: exchange.key_ttl: ", 0)
        == 0);
}

// The original rule "check before each retry" on a venue whose status
// queries lag: exploration finds the double order and shrinks it.
TEST_CASE("exploring with lookup_lag finds the double order within 1,000 "
          "seeds and shrinks it to at most 2 orders",
          "[venue][explore]") {
  auto loaded = load_scenario_file(std::string{EXECSIM_SOURCE_DIR}
                                   + "/scenarios/explore/lookup-lag.toml");
  REQUIRE(loaded.errors.empty());
  const auto& sc = *loaded.value;
  REQUIRE(run_scenario(sc, run_options{}).pass); // no faults: no double order
  explore_settings s;
  s.seeds = 1000;
  auto report = explore(sc, s);
  REQUIRE_FALSE(report.failures.empty());
  const auto& first = report.failures.front();
  CHECK(first.seed < 1000);
  CHECK(first.invariant == "one_fill_per_key");
  for (const auto& f : report.failures)
    CHECK(f.invariant == "one_fill_per_key"); // nothing else breaks
  runtime rt;
  auto r = shrink(sc, first.seed, first.fired, first.invariant, rt);
  REQUIRE(r.reproduced);
  CHECK(r.minimal.orders.size() <= 2);
  // The lag shrinks too: 510ms is the smallest on its search's 10ms grid
  // that still lets a check after the 500ms submit timeout miss the order.
  CHECK(r.minimal.exchange.lookup_lag == 510'000'000);
  auto again = load_scenario_text(to_toml(r.minimal), "minimal.toml");
  REQUIRE(again.errors.empty());
  auto out = run_scenario(*again.value, run_options{});
  CHECK(out.pass);
  CHECK(out.violation_counts.count("one_fill_per_key") == 1);
}
