// Exploration: random fault schedules per seed, invariants, shrinking,
// determinism across --jobs and --shard.
#include "libexec/explore/explorer.hpp"
#include "libexec/run/runner.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_writer.hpp"
#include "libexec/explore/shrinker.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

using namespace execsim;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

scenario load(const std::string& rel) {
  auto r = load_scenario_file(std::string(EXECSIM_SOURCE_DIR) + "/" + rel);
  REQUIRE(r.errors.empty());
  return *r.value;
}

std::vector<std::uint64_t> failing_seeds(const explore_report& r) {
  std::vector<std::uint64_t> seeds;
  for (const auto& f : r.failures)
    seeds.push_back(f.seed);
  return seeds;
}


} // namespace

TEST_CASE("exploring the original service finds both residual risks",
          "[explore]") {
  auto sc = load("scenarios/explore/original-service.toml");
  explore_settings s;
  s.seeds = 2000;
  s.jobs = 2;
  auto report = explore(sc, s);
  CHECK(report.seeds_run == 2000);
  std::set<std::string> found;
  for (const auto& f : report.failures)
    for (const auto& [name, n] : f.violation_counts)
      found.insert(name);
  CHECK(found.count("one_fill_per_key") == 1);
  CHECK(found.count("result_matches_exchange") == 1);
  CHECK(found.count("terminal") == 0);

  SECTION("each shrinks to a file of at most 2 orders and 3 faults that "
          "execsim run reproduces") {
    runtime rt;
    for (const auto& inv : {"one_fill_per_key", "result_matches_exchange"}) {
      const seed_failure* first = nullptr;
      for (const auto& f : report.failures)
        if (f.invariant == inv) {
          first = &f;
          break;
        }
      REQUIRE(first != nullptr);
      auto r = shrink(sc, first->seed, first->fired, inv, rt);
      REQUIRE(r.reproduced);
      CHECK(r.minimal.orders.size() <= 2);
      CHECK(r.minimal.faults.size() <= 3);
      CHECK(r.minimal.faults.size() < first->fired.size() + 1);
      // Round trip through the file format, then a plain run passes: it
      // breaks exactly the invariants it says it expects.
      auto text = to_toml(r.minimal);
      auto reloaded = load_scenario_text(text, "minimal.toml");
      REQUIRE(reloaded.errors.empty());
      CHECK_FALSE(reloaded.value->explore.present);
      auto out = run_scenario(*reloaded.value, run_options{});
      CHECK(out.pass);
      CHECK(out.violation_counts.count(inv) == 1);
    }
  }
}

TEST_CASE("exploring execsim's defaults for 20,000 seeds finds nothing",
          "[explore]") {
  auto sc = load("scenarios/explore/defaults.toml");
  explore_settings s;
  s.seeds = 20000;
  s.jobs = 2;
  auto report = explore(sc, s);
  CHECK(report.seeds_run == 20000);
  CHECK(report.failures.empty());
}

TEST_CASE("same seeds give the same failures with any jobs and shards",
          "[explore]") {
  auto sc = load("scenarios/explore/original-service.toml");
  explore_settings one;
  one.seeds = 300;
  auto single = explore(sc, one);
  REQUIRE_FALSE(single.failures.empty());

  auto threaded = one;
  threaded.jobs = 3;
  auto t = explore(sc, threaded);
  CHECK(failing_seeds(t) == failing_seeds(single));
  CHECK(t.digest == single.digest);

  std::vector<std::uint64_t> union_seeds;
  std::uint64_t runs = 0;
  for (std::uint32_t i = 0; i < 4; ++i) {
    auto shard = one;
    shard.shard_index = i;
    shard.shard_count = 4;
    auto r = explore(sc, shard);
    runs += r.seeds_run;
    for (auto seed : failing_seeds(r))
      union_seeds.push_back(seed);
  }
  std::sort(union_seeds.begin(), union_seeds.end());
  CHECK(runs == 300);
  CHECK(union_seeds == failing_seeds(single));

  SECTION("--stop-after keeps the lowest failing seeds whatever the jobs") {
    auto a = one;
    a.stop_after = 3;
    auto b = a;
    b.jobs = 2;
    auto ra = explore(sc, a);
    auto rb = explore(sc, b);
    REQUIRE(ra.failures.size() == 3);
    CHECK(failing_seeds(ra) == failing_seeds(rb));
    auto first3 = failing_seeds(single);
    first3.resize(3);
    CHECK(failing_seeds(ra) == first3);
  }
}

TEST_CASE("shard_seeds covers the range exactly once", "[explore]") {
  explore_settings s;
  s.from = 100;
  s.seeds = 10;
  s.shard_count = 3;
  std::vector<std::uint64_t> all;
  for (std::uint32_t i = 0; i < 3; ++i) {
    s.shard_index = i;
    for (auto seed : shard_seeds(s))
      all.push_back(seed);
  }
  std::sort(all.begin(), all.end());
  std::vector<std::uint64_t> expected{100, 101, 102, 103, 104,
                                      105, 106, 107, 108, 109};
  CHECK(all == expected);
}

TEST_CASE("four explore processes (xargs -P 4) record the failures of one",
          "[explore][cli]") {
  scratch_dir scratch;
  auto dir = scratch.path();
  auto file = std::string(EXECSIM_SOURCE_DIR)
              + "/scenarios/explore/original-service.toml";
  auto bin = std::string(EXECSIM_BINARY);
  auto sh = [&](const std::string& cmd) { return std::system(cmd.c_str()); };
  auto common = fmt::format("--seeds 200 --no-shrink -q --out {}/out", dir);
  sh(fmt::format("{} explore {} {} --db {}/one.sqlite > {}/one.txt 2>&1", bin,
                 file, common, dir, dir));
  sh(fmt::format("printf '0/4\\n1/4\\n2/4\\n3/4\\n' | xargs -P 4 -I{{}} {} "
                 "explore {} {} --shard {{}} --db {}/four.sqlite > "
                 "{}/four.txt 2>&1",
                 bin, file, common, dir, dir));
  auto query = [&](const std::string& db) {
    auto out = dir + "/q.txt";
    sh(fmt::format("sqlite3 {}/{} \"SELECT group_concat(seed) FROM (SELECT "
                   "seed FROM runs WHERE kind = 'explore' ORDER BY seed)\" > "
                   "{}",
                   dir, db, out));
    return slurp(out);
  };
  auto one = query("one.sqlite");
  CHECK_FALSE(one.empty());
  CHECK(one.size() > 2);
  CHECK(query("four.sqlite") == one);
}

TEST_CASE("a progress callback never holds exploration past its last seed",
          "[explore]") {
  auto sc = load("scenarios/explore/defaults.toml");
  explore_settings s;
  s.seeds = 1;
  int calls = 0;
  s.on_progress = [&](const explore_progress&) { ++calls; };
  auto start = std::chrono::steady_clock::now();
  auto report = explore(sc, s);
  auto ms = std::chrono::duration<double, std::milli>(
              std::chrono::steady_clock::now() - start)
              .count();
  CHECK(report.seeds_run == 1);
  CHECK(calls >= 1);
  // The progress interval is 200 ms; one seed takes well under a
  // millisecond. Before, the caller slept a whole interval.
  CHECK(ms < 150);
}

TEST_CASE("explore on a pipe prints no progress line", "[explore][cli]") {
  scratch_dir dir;
  auto out = dir.file("out.txt");
  auto cmd = fmt::format("cd {} && {} explore scenarios/explore/defaults.toml "
                         "--seeds 1000 --db {} > {} 2>&1",
                         EXECSIM_SOURCE_DIR, EXECSIM_BINARY,
                         dir.file("e.sqlite"), out);
  CHECK(std::system(cmd.c_str()) == 0);
  auto text = slurp(out);
  CHECK(text.find("seeds 1000/1000") == std::string::npos);
  CHECK(text.find("ETA") == std::string::npos);
  CHECK(text.find("1000 seeds, 0 failing, ") != std::string::npos);
}
