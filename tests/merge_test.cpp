// Exploring on several machines (#18): `explore --shard I/N` records each
// shard's totals in `explorations`, and `execsim merge` combines the shard
// recordings into one that equals a single process's exploration of the
// whole range: the same failing seeds with the same digests, the same
// totals, and the range's digest (the XOR of the shards').
#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support_db.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <string>

using execsim::testing::execsim_cli;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

const std::string file = "scenarios/explore/original-service.toml";
constexpr const char* range = "--from 1 --seeds 300";

/// The failing runs (seed, digest, verdict) and the totals, as text.
std::string failing_runs(const std::string& db) {
  raw_db raw{db};
  std::string out;
  for (const auto& r : raw.rows("SELECT seed, digest, verdict FROM runs "
                                "ORDER BY seed"))
    out += r[0] + " " + r[1] + " " + r[2] + "\n";
  return out;
}

std::string totals(const std::string& db) {
  raw_db raw{db};
  return raw.text("SELECT sum(seeds_run) || ' ' || sum(failing_seeds) FROM "
                  "explorations");
}

bool has_parallel() {
  return std::system("command -v parallel > /dev/null 2>&1") == 0;
}

} // namespace

TEST_CASE("explore records its shard's totals in explorations",
          "[explore][merge]") {
  scratch_dir dir;
  auto r = execsim_cli(dir, fmt::format("explore {} {} --shard 1/4 -q "
                                        "--no-shrink --db {}",
                                        file, range, dir.file("s.sqlite")));
  CHECK(r.status == 1);
  raw_db raw{dir.file("s.sqlite")};
  auto row = raw.rows("SELECT scenario, file, seed_from, seeds, shard_index, "
                      "shard_count, seeds_run, failing_seeds = (SELECT "
                      "count(*) FROM runs), length(digest) FROM explorations");
  REQUIRE(row.size() == 1);
  CHECK(row[0] == std::vector<std::string>{
                    "explore: the original service's configuration", file,
                    "1", "300", "1", "4", "75", "1", "16"});
}

TEST_CASE("four shards run by GNU parallel, merged, equal one process",
          "[explore][merge]") {
  if (!has_parallel()) {
    WARN("GNU parallel is not installed: libexec/setup installs it (as "
         "root); this test did not run");
    return;
  }
  scratch_dir dir;
  auto single = execsim_cli(dir, fmt::format("explore {} {} -q --no-shrink "
                                             "--db {} --format json",
                                             file, range,
                                             dir.file("single.sqlite")));
  CHECK(single.status == 1);
  // The shipped recipe: libexec/explore-parallel runs the shards with GNU
  // parallel and merges them.
  auto script = fmt::format(
    "cd '{}' && EXECSIM={} libexec/explore-parallel {} 1 300 4 "
    "'{}/merged.sqlite' -j 2 > '{}/merged.txt' 2>&1",
    EXECSIM_SOURCE_DIR, EXECSIM_BINARY, file, dir.path(), dir.path());
  auto status = std::system(script.c_str());
  execsim::testing::cli_result merged;
  merged.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  merged.out = execsim::testing::slurp(dir.file("merged.txt"));
  INFO(merged.out);
  CHECK(merged.status == 1); // failing seeds, as with one process
  auto digest = raw_db{dir.file("single.sqlite")}.text(
    "SELECT digest FROM explorations");
  auto runs = raw_db{dir.file("single.sqlite")}.integer(
    "SELECT count(*) FROM runs");
  CHECK(merged.out
        == fmt::format("merged 4 recordings into {}/merged.sqlite: {} runs, "
                       "4 exploration shards\n"
                       "explore \"explore: the original service's "
                       "configuration\" seeds 1..300: 4 shards, 300 seeds "
                       "run, {} failing, digest {}\n",
                       dir.path(), runs, runs, digest));
  CHECK(failing_runs(dir.file("merged.sqlite"))
        == failing_runs(dir.file("single.sqlite")));
  CHECK(totals(dir.file("merged.sqlite")) == totals(dir.file("single.sqlite")));
  CHECK(runs > 10); // the range has failures to compare
  // The merged recording replays and reports like any other.
  auto replay = execsim_cli(dir, fmt::format("replay 1 --db {}",
                                             dir.file("merged.sqlite")));
  CHECK(replay.out.rfind("identical", 0) == 0);
}

TEST_CASE("merge refuses a missing or repeated shard, an existing output, "
          "and leaves nothing behind",
          "[explore][merge]") {
  scratch_dir dir;
  for (int i = 0; i < 3; ++i) {
    auto r = execsim_cli(dir, fmt::format("explore {} --seeds 30 --shard "
                                          "{}/3 -q --no-shrink --db {}",
                                          file, i,
                                          dir.file(fmt::format("s{}.sqlite",
                                                               i))));
    REQUIRE(r.status <= 1);
  }
  auto merge = [&](const std::string& args) {
    return execsim_cli(dir, "merge " + dir.file("m.sqlite") + " " + args);
  };
  auto missing = merge(dir.file("s0.sqlite") + " " + dir.file("s2.sqlite"));
  CHECK(missing.status == 2);
  CHECK(missing.out
        == "execsim merge: \"explore: the original service's configuration\" "
           "seeds 0..29: shard 1/3 missing\n");
  std::filesystem::copy_file(dir.file("s1.sqlite"), dir.file("copy.sqlite"));
  auto twice = merge(dir.file("s0.sqlite") + " " + dir.file("s1.sqlite") + " "
                     + dir.file("copy.sqlite") + " " + dir.file("s2.sqlite"));
  CHECK(twice.status == 2);
  CHECK(twice.out
        == fmt::format("execsim merge: shard 1/3 of \"explore: the original "
                       "service's configuration\" seeds 0..29 is in both {} "
                       "and {}\n",
                       dir.file("s1.sqlite"), dir.file("copy.sqlite")));
  auto same = merge(dir.file("s0.sqlite") + " " + dir.file("s0.sqlite"));
  CHECK(same.status == 2);
  CHECK(same.out == fmt::format("execsim merge: {0}: given twice (as {0} and "
                                "{0})\n",
                                dir.file("s0.sqlite")));
  CHECK_FALSE(std::filesystem::exists(dir.file("m.sqlite")));
  auto ok = merge(dir.file("s0.sqlite") + " " + dir.file("s1.sqlite") + " "
                  + dir.file("s2.sqlite"));
  CHECK(ok.status == 0);
  auto again = merge(dir.file("s0.sqlite"));
  CHECK(again.status == 2);
  CHECK(again.out == fmt::format("execsim merge: {}: already exists: merge "
                                 "writes a new recording (remove it or name "
                                 "another)\n",
                                 dir.file("m.sqlite")));
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    CHECK(e.path().string().find(".merging-") == std::string::npos);
}
