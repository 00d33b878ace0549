// Timing-boundary targeting ([explore] boundary, sim/boundary_target.hpp):
// targeted acks land exactly 1 ns before, at and 1 ns after the attempt's
// submit_timeout, targeted outages end at an order's start, boundary = 0
// changes nothing, the probe ack_at_timeout, and the finding it exists for:
// an executor whose bug shows only at the exact timeout instant
// (scenarios/examples/explore-deadline.toml), found with targeting and
// never without it.
#include "libexec/explore/explorer.hpp"
#include "libexec/run/runner.hpp"
#include "sim/probes.hpp"
#include "sim/records.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"
#include <fmt/format.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;

namespace {

scenario load_text(const std::string& text) {
  auto loaded = load_scenario_text(text, "boundary.toml");
  for (const auto& e : loaded.errors)
    FAIL(e.to_string());
  REQUIRE(loaded.value);
  return *loaded.value;
}

scenario load_file(const std::string& rel) {
  auto r = load_scenario_file(std::string(EXECSIM_SOURCE_DIR) + "/" + rel);
  for (const auto& e : r.errors)
    FAIL(e.to_string());
  REQUIRE(r.value);
  return *r.value;
}

/// `n` orders 100ms apart on the built-in executor (submit_timeout 2s),
/// latency uniform 5..50ms; `explore` is the [explore] table's body.
std::string orders_text(int n, const std::string& explore) {
  std::string t = "name = \"boundary\"\n[exchange]\n"
                  "latency = { min = \"5ms\", max = \"50ms\" }\n"
                  "[exchange.prices]\nAAPL = \"150.25\"\n";
  for (int i = 0; i < n; ++i)
    t += fmt::format("[[orders]]\nid = \"o{}\"\nat = \"{}ms\"\n", i + 1,
                     100 * i);
  return t + "[explore]\n" + explore;
}

/// One explored run of `sc` under `seed`, every row kept.
row_batch explored_rows(const scenario& sc, std::uint64_t seed) {
  row_batch rows;
  run_options opt;
  opt.explore = true;
  opt.seed = seed;
  opt.capture = &rows;
  auto out = run_scenario(sc, opt);
  REQUIRE(out.error.empty());
  return rows;
}

bool targeted(const fault_row& f) {
  return f.detail.find("; boundary: ") != std::string::npos;
}

/// "-1:4 0:7 1:5": how many landed at each offset from the edge.
std::string offsets_text(const std::map<ns_t, int>& by_offset) {
  std::string t;
  for (auto [offset, n] : by_offset)
    t += fmt::format("{}{}:{}", t.empty() ? "" : " ", offset, n);
  return t;
}

std::uint64_t probe_seeds(const explore_report& r, probe p) {
  return r.probe_seeds[static_cast<std::size_t>(p)];
}

} // namespace

TEST_CASE("a targeted ack arrives 1ns before, at or 1ns after "
          "submit_timeout, counted from the attempt's send",
          "[explore][boundary]") {
  auto sc = load_text(orders_text(20, "delay_ack = { p = 1, max = \"3s\" }\n"
                                      "boundary = 1\n"));
  std::map<ns_t, int> by_offset; // arrival - (sent + submit_timeout)
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    auto rows = explored_rows(sc, seed);
    for (const auto& f : rows.faults) {
      if (f.kind != "delay_ack")
        continue;
      // With max 3s every targeted delay fits: each delay is targeted.
      REQUIRE(targeted(f));
      auto a = std::find_if(rows.attempts.begin(), rows.attempts.end(),
                            [&](const attempt_row& r) {
                              return r.order_id == f.order_id
                                     && r.attempt == f.attempt;
                            });
      REQUIRE(a != rows.attempts.end());
      REQUIRE(a->answered_at_ns);
      auto offset = *a->answered_at_ns - a->sent_at_ns - sc.executor.submit_timeout;
      ++by_offset[offset];
      auto edge = offset == 0 ? "at submit_timeout"
                  : offset < 0 ? "1ns before submit_timeout"
                               : "1ns after submit_timeout";
      CHECK(f.detail.find(edge) != std::string::npos);
    }
  }
  // Every targeted ack is on an edge, and each edge is met (exact counts:
  // the draws are counter-based, so these only change with the draws).
  CHECK(offsets_text(by_offset) == "-1:34 0:33 1:33");
}

TEST_CASE("a targeted outage ends 1ns before, at or 1ns after the next "
          "order's start", "[explore][boundary]") {
  auto sc = load_text(orders_text(20, "outage = { p = 0.5, max = \"1s\" }\n"
                                      "boundary = 1\n"));
  std::map<ns_t, int> by_offset; // until - next order's at
  int untargeted = 0;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    for (const auto& f : explored_rows(sc, seed).faults) {
      if (f.kind != "outage" || f.detail.find("window ") == std::string::npos)
        continue; // a submit meeting a window, not opening one
      ns_t from = 0;
      ns_t until = 0;
      REQUIRE(std::sscanf(f.detail.c_str(),
                          "submit; window %" SCNd64 "..%" SCNd64, &from,
                          &until)
              == 2);
      CHECK(from == f.at_ns);
      // Orders start every 100ms, the last at 1.9s: the next start after
      // `from`, if any.
      auto next = (from / (100 * ns_per_ms) + 1) * 100 * ns_per_ms;
      if (!targeted(f)) {
        // Only when no order starts after the window opens.
        CHECK(next > 1900 * ns_per_ms);
        ++untargeted;
        continue;
      }
      ++by_offset[until - next];
    }
  }
  CHECK(offsets_text(by_offset) == "-1:14 0:20 1:13");
  CHECK(untargeted == 22);
}

TEST_CASE("boundary = 0 draws exactly what a file without the key draws",
          "[explore][boundary]") {
  auto base = orders_text(10, "delay_ack = { p = 0.3, max = \"3s\" }\n"
                              "outage = { p = 0.05, max = \"1s\" }\n"
                              "drop_ack = 0.05\n");
  explore_settings s;
  s.seeds = 200;
  auto without = explore(load_text(base), s);
  auto zero = explore(load_text(base + "boundary = 0\n"), s);
  CHECK(zero.digest == without.digest);
  CHECK(zero.probe_seeds == without.probe_seeds);
  // ... and that targeting does change the draws.
  auto on = explore(load_text(base + "boundary = 0.5\n"), s);
  CHECK(on.digest != without.digest);
}

TEST_CASE("probe ack_at_timeout: an ack at the very instant of its timeout",
          "[probes][boundary]") {
  // Latency 10ms each way, submit_timeout 2s: a delay of 1.98s lands the
  // ack at 2s after the send.
  auto with_delay = [](const std::string& delay) {
    auto sc = load_text("name = \"p\"\n[exchange]\nlatency = \"10ms\"\n"
                        "[exchange.prices]\nAAPL = \"150.25\"\n"
                        "[[orders]]\nid = \"o1\"\n[[faults]]\norder = \"o1\"\n"
                        "attempt = 1\nkind = \"delay_ack\"\ndelay = \""
                        + delay + "\"\n");
    run_options opt;
    auto out = run_scenario(sc, opt);
    REQUIRE(out.error.empty());
    return std::make_pair(out.probes.test(static_cast<std::size_t>(
                            probe::ack_at_timeout)),
                          out.probes.test(static_cast<std::size_t>(
                            probe::ack_after_timeout)));
  };
  // The timeout timer was scheduled first (at the send), so it fires first:
  // the ack at the instant is already late for the built-in executor.
  CHECK(with_delay("1.98s") == std::make_pair(true, true));
  CHECK(with_delay("1979999999ns") == std::make_pair(false, false));
  CHECK(with_delay("1980000001ns") == std::make_pair(false, true));
  CHECK(probe_named("ack_at_timeout") == probe::ack_at_timeout);
}

TEST_CASE("explore finds the deadline executor's bug only with boundary "
          "targeting, within 2,000 seeds", "[explore][boundary][process]") {
  auto sc = load_file("scenarios/examples/explore-deadline.toml");
  REQUIRE(sc.explore.boundary == 0.3);
  explore_settings s;
  s.seeds = 2000;
  s.jobs = 2;

  SECTION("with boundary = 0.3 (the file's): 7 seeds, the first 332") {
    auto r = explore(sc, s);
    CHECK(r.seeds_run == 2000);
    REQUIRE(r.failures.size() == 7);
    CHECK(r.failures.front().seed == 332);
    for (const auto& f : r.failures) {
      CHECK(f.invariant == "terminal");
      // Two results, and order.executed (and order.recovered) after the
      // first.
      CHECK(f.violation_counts.size() == 1);
      CHECK(f.violation_counts.at("terminal") == 3);
    }
    CHECK(probe_seeds(r, probe::ack_at_timeout) == 195);
  }
  SECTION("with boundary = 0: no seed of 2,000, none reaches the instant") {
    sc.explore.boundary = 0;
    auto r = explore(sc, s);
    CHECK(r.seeds_run == 2000);
    CHECK(r.failures.empty());
    CHECK(probe_seeds(r, probe::ack_at_timeout) == 0);
    CHECK(probe_seeds(r, probe::ack_after_timeout) > 0);
  }
}

TEST_CASE("execsim explore shrinks the deadline finding to a file that "
          "fails under execsim run", "[explore][boundary][process][cli]") {
  scratch_dir dir;
  auto r = execsim_cli(dir, fmt::format("explore scenarios/examples/"
                                        "explore-deadline.toml --seeds 400 "
                                        "-q --db {} --out {}",
                                        dir.file("x.sqlite"), dir.file("out")));
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK(r.out.find("FAIL     1 x terminal") != std::string::npos);
  CHECK(r.out.find("first seed=332") != std::string::npos);
  auto minimal = dir.file("out") + "/explore-deadline-seed332-min.toml";
  REQUIRE(std::filesystem::exists(minimal));
  // The minimal file expects the violation (expect_violations): it passes
  // by breaking `terminal`, which the report of its run shows.
  auto run = execsim_cli(dir, fmt::format("run {} --db {}", minimal,
                                          dir.file("m.sqlite")));
  INFO(run.out);
  CHECK(run.status == 0);
  auto report = execsim_cli(dir, fmt::format("report --db {}",
                                             dir.file("m.sqlite")));
  INFO(report.out);
  CHECK(report.out.find("terminal (o1): the order got 2 results")
        != std::string::npos);
}

TEST_CASE("a boundary above 1 is a load error with its position and "
          "exit 2", "[explore][boundary][cli]") {
  scratch_dir dir;
  auto r = execsim_cli(dir, fmt::format("explore tests/malformed/"
                                        "explore_boundary_not_a_chance.toml "
                                        "--seeds 10 --db {}",
                                        dir.file("x.sqlite")));
  INFO(r.out);
  CHECK(r.status == 2);
  CHECK(r.out.find("tests/malformed/explore_boundary_not_a_chance.toml:5:12: "
                   "explore.boundary: must be between 0 and 1 (got 1.5)")
        != std::string::npos);
}

TEST_CASE("a targeted check answer arrives 1ns before, at or 1ns after "
          "check_timeout, counted from the check's send",
          "[explore][boundary]") {
  // Every submit is lost, so every attempt is followed by a check.
  auto sc = load_text(orders_text(20, "drop_request = 1\n"
                                      "delay_check = { p = 1, max = \"2s\" }\n"
                                      "boundary = 1\n"));
  std::map<ns_t, int> by_offset; // arrival - (sent + check_timeout)
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    auto rows = explored_rows(sc, seed);
    for (const auto& f : rows.faults) {
      if (f.kind != "delay_check")
        continue;
      REQUIRE(targeted(f));
      auto c = std::find_if(rows.checks.begin(), rows.checks.end(),
                            [&](const check_row& r) {
                              return r.order_id == f.order_id
                                     && r.after_attempt == f.attempt;
                            });
      REQUIRE(c != rows.checks.end());
      REQUIRE(c->answered_at_ns);
      auto offset = *c->answered_at_ns - c->sent_at_ns - sc.executor.check_timeout;
      ++by_offset[offset];
      auto edge = offset == 0 ? "; boundary: at check_timeout"
                  : offset < 0 ? "; boundary: 1ns before check_timeout"
                               : "; boundary: 1ns after check_timeout";
      CHECK(f.detail.size() >= std::string{edge}.size());
      CHECK(f.detail.substr(f.detail.size() - std::string{edge}.size()) == edge);
    }
  }
  CHECK(offsets_text(by_offset) == "-1:110 0:97 1:93");
  // The probe: reached by a seed exactly when one of its answers is at 0.
  explore_settings s;
  s.seeds = 40;
  s.jobs = 2;
  CHECK(probe_seeds(explore(sc, s), probe::check_answer_at_timeout) == 40);
  sc.explore.boundary = 0;
  CHECK(probe_seeds(explore(sc, s), probe::check_answer_at_timeout) == 0);
}

namespace {

/// "14 28 ...": the failing seeds.
std::string failing_text(const explore_report& r) {
  std::string t;
  for (const auto& f : r.failures)
    t += fmt::format("{}{}", t.empty() ? "" : " ", f.seed);
  return t;
}

/// "one_fill_per_key=26 ...": seeds breaking each invariant.
std::string by_invariant_text(const explore_report& r) {
  std::map<std::string, int> n;
  for (const auto& f : r.failures)
    for (const auto& [name, count] : f.violation_counts)
      ++n[name];
  std::string t;
  for (const auto& [name, seeds] : n)
    t += fmt::format("{}{}={}", t.empty() ? "" : " ", name, seeds);
  return t;
}

/// The faults that fired, one field list each.
std::string faults_text(const std::vector<fault_spec>& faults) {
  std::string t;
  for (const auto& f : faults)
    t += fmt::format("{} {} {} delay={} code={} window={}..{}\n",
                     to_string(f.kind), f.order.value_or("*"),
                     f.attempt ? std::to_string(*f.attempt) : "*", f.delay,
                     f.code, f.from, f.until);
  return t;
}

/// The file's [explore] table with `extra` as its first keys.
scenario with_explore_keys(const std::string& text, const std::string& extra) {
  auto at = text.find("\n[explore]\n");
  REQUIRE(at != std::string::npos);
  auto edited = text;
  edited.insert(at + 11, extra);
  return load_text(edited);
}

} // namespace

// (No ": " late in a test name: Catch2 v2's console reporter indents the
// wrapped name past it, and past the line's width it never ends.)
TEST_CASE("boundary = 0 explores the original service exactly as a file "
          "without the key, the same failing seeds, faults and digest",
          "[explore][boundary]") {
  // Every kind boundary targets is drawn: delay_ack and outage (the
  // file's), delay_check (added).
  auto text = execsim::testing::slurp(std::string(EXECSIM_SOURCE_DIR)
                                      + "/scenarios/explore/"
                                        "original-service.toml");
  const std::string dc = "delay_check = { p = 0.1, max = \"2s\" }\n";
  explore_settings s;
  s.seeds = 300;
  s.jobs = 2;
  auto plain = with_explore_keys(text, dc);
  auto explicit_zero = with_explore_keys(text, dc + "boundary = 0\n");
  REQUIRE(plain.explore.delay_check == 0.1);
  REQUIRE(explicit_zero.explore.delay_check == 0.1);
  REQUIRE(explicit_zero.explore.boundary == 0);
  auto without = explore(plain, s);
  auto zero = explore(explicit_zero, s);
  CHECK(failing_text(without)
        == "14 28 30 40 44 54 58 65 71 75 84 86 102 116 125 140 157 192 202 "
           "204 217 221 241 243 254 267 276 280 282 291");
  CHECK(by_invariant_text(without)
        == "no_duplicate_exposure=4 one_fill_per_key=26 "
           "result_matches_exchange=4");
  CHECK(without.digest == "9004aa109e21feae"); // = execsim explore's
  CHECK(probe_seeds(without, probe::check_answer_at_timeout) == 0);
  CHECK(failing_text(zero) == failing_text(without));
  CHECK(zero.digest == without.digest);
  CHECK(zero.probe_seeds == without.probe_seeds);
  REQUIRE(zero.failures.size() == without.failures.size());
  for (std::size_t i = 0; i < zero.failures.size(); ++i) {
    INFO("seed " << zero.failures[i].seed);
    CHECK(zero.failures[i].violation_counts
          == without.failures[i].violation_counts);
    CHECK(faults_text(zero.failures[i].fired)
          == faults_text(without.failures[i].fired));
  }
  // ... and targeting does move them.
  auto on = explore(with_explore_keys(text, dc + "boundary = 0.3\n"), s);
  CHECK(failing_text(on)
        == "14 28 30 40 44 54 64 65 75 84 86 102 116 125 140 192 202 204 217 "
           "221 241 243 254 267 276 278 280 291");
  CHECK(probe_seeds(on, probe::check_answer_at_timeout) == 1);
  CHECK(on.digest != without.digest);
}
