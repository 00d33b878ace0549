// A trace must not depend on whether or when rows are written: the same
// scenario recorded into SQLite, captured in memory, or not recorded at all
// gives one digest, at every size (the row batches of 8,192 rows once
// changed which actor the scheduler ran next, from about 1,100 orders on).
#include "libexec/bench/bench_scenario.hpp"
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/rng.hpp"
#include "tests/test_support.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

namespace {

using namespace execsim;

run_outcome run_faulted(std::uint64_t orders, recording* db,
                        row_batch* capture, std::uint64_t seed = 0) {
  auto sc = bench::bench_scenario(true);
  if (seed != 0)
    sc.seed = seed;
  bench::generated_orders source{orders};
  run_options opt;
  opt.source = &source;
  opt.explore = true; // random submit faults from [explore]
  opt.db = db;
  opt.capture = capture;
  return run_scenario(sc, opt);
}

void same_digest_recorded_or_not(std::uint64_t orders,
                                 std::uint64_t seed = 0) {
  execsim::testing::scratch_dir dir;
  std::string error;
  auto db = recording::open(dir.file("scale.sqlite"), error);
  REQUIRE(db);
  auto plain = run_faulted(orders, nullptr, nullptr, seed);
  auto recorded = run_faulted(orders, db.get(), nullptr, seed);
  row_batch rows;
  auto captured = run_faulted(orders, nullptr, &rows, seed);
  REQUIRE(plain.orders == orders);
  if (orders >= 200) // about one submit in ten is faulted
    REQUIRE(plain.faults_fired > 0);
  REQUIRE(recorded.error.empty());
  CHECK(recorded.digest == plain.digest);
  CHECK(captured.digest == plain.digest);
  CHECK(recorded.steps == plain.steps);
}

} // namespace

TEST_CASE("replay at scale: 1,000 faulted orders, same digest recorded or not",
          "[replay][scale]") {
  same_digest_recorded_or_not(1'000);
}

TEST_CASE("replay at scale: 10,000 faulted orders, same digest recorded or not",
          "[replay][scale]") {
  same_digest_recorded_or_not(10'000);
}

TEST_CASE("replay at scale: random seeds and sizes, same digest recorded or not",
          "[replay][scale]") {
  // Sizes drawn around the 8,192-row batch edge and beyond (5 rows or so
  // per order), seeds drawn too: a property over many runs, not one case.
  for (std::uint64_t i = 1; i <= 12; ++i) {
    auto word = execsim::draw(20261129, execsim::rng_stream::orders, i);
    auto orders = static_cast<std::uint64_t>(execsim::between(word, 1, 6'000));
    auto seed = execsim::splitmix64(word) >> 1;
    INFO("orders " << orders << ", seed " << seed);
    same_digest_recorded_or_not(orders, seed);
  }
}

#if !defined(__SANITIZE_ADDRESS__)
// 100,000 orders take ~10 s under the sanitizers: the release build runs it.
TEST_CASE("replay at scale: 100,000 faulted orders, same digest recorded or not",
          "[replay][scale]") {
  same_digest_recorded_or_not(100'000);
}
#endif

TEST_CASE("replay at scale: execsim replay of 2,000 recorded orders with faults "
          "is identical",
          "[replay][scale]") {
  execsim::testing::scratch_dir dir;
  std::string toml = "name = \"2,000 orders\"\nseed = 7\n"
                     "[exchange]\nlatency = { min = \"1ms\", max = \"30ms\" }\n"
                     "[exchange.prices]\nAAPL = \"150.25\"\n";
  for (int i = 1; i <= 2'000; ++i)
    toml += "[[orders]]\nid = \"o" + std::to_string(i) + "\"\nat = \""
            + std::to_string(i) + "ms\"\nquantity = 1\n";
  for (int i = 1; i <= 2'000; i += 7)
    toml += "[[faults]]\norder = \"o" + std::to_string(i)
            + "\"\nattempt = 1\nkind = \"" + (i % 2 ? "drop_ack" : "drop_request")
            + "\"\n";
  auto file = dir.write("many.toml", toml);
  auto db = dir.file("many.sqlite");
  auto run = "cd " + dir.path() + " && " + EXECSIM_BINARY + " run many.toml --quiet --db "
             + db + " > run.txt 2>&1";
  REQUIRE(std::system(run.c_str()) == 0);
  auto replay = "cd " + dir.path() + " && " + EXECSIM_BINARY + " replay 1 --db " + db
                + " > replay.txt 2>&1";
  int status = std::system(replay.c_str());
  INFO(execsim::testing::slurp(dir.file("replay.txt")));
  CHECK(status == 0);
  CHECK(execsim::testing::slurp(dir.file("replay.txt")).find("identical")
        != std::string::npos);
}
