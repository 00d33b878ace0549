// Command-line input edges (#21): values refused before anything runs, with
// the option named and exit 2; recording errors (in any worker) reported
// with SQLite's cause and a summary, never a crash or a claim of a file
// that is not there.
#include "tests/cli_support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>

using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;
using execsim::testing::sqlite3_cli;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char* const explore_file = "scenarios/explore/defaults.toml";

} // namespace

TEST_CASE("seeds outside 0..2^63-1 are refused when parsed, by every "
          "command",
          "[cli][cli_input]") {
  scratch_dir dir;
  auto db = dir.file("s.sqlite");
  for (const char* bad : {"-1", "9223372036854775808", "18446744073709551615",
                          "0x10", "12abc", "+5"}) {
    INFO(bad);
    auto run = execsim_cli(dir, fmt::format("run scenarios/spec --seed {} "
                                            "--db {}",
                                            bad, db));
    CHECK(run.status == 2);
    CHECK(has(run.out, fmt::format("--seed: seed must be a whole number from "
                                   "0 to 9223372036854775807, got \"{}\"",
                                   bad)));
    CHECK_FALSE(has(run.out, "PASS"));
    auto from = execsim_cli(dir, fmt::format("explore {} --from {} --db {}",
                                             explore_file, bad, db));
    CHECK(from.status == 2);
    CHECK(has(from.out, "--from: seed must be a whole number from 0 to "
                        "9223372036854775807"));
    CHECK_FALSE(has(from.out, "seeds/s"));
  }
  auto top = execsim_cli(dir, fmt::format("run scenarios/spec --seed "
                                          "9223372036854775807 --db {}",
                                          db));
  CHECK(top.status != 2); // the largest seed is a seed
  auto past = execsim_cli(dir, fmt::format("explore {} --from "
                                           "9223372036854775806 --seeds 3 "
                                           "--db {}",
                                           explore_file, db));
  CHECK(past.status == 2);
  CHECK(has(past.out, "execsim explore: --from 9223372036854775806 --seeds 3: "
                      "the last seed would be above 9223372036854775807, the "
                      "largest seed\n"));
  CHECK_FALSE(has(past.out, "seeds/s"));
}

TEST_CASE("explore --shard is I/N in decimal digits with I < N",
          "[cli][cli_input]") {
  scratch_dir dir;
  for (const char* bad : {"0x1/4", "1/2junk", "2/2", "-1/4", " 1/4", "1/0",
                          "1", "1/2/3"}) {
    INFO(bad);
    auto r = execsim_cli(dir, fmt::format("explore {} --shard '{}' --db {}",
                                          explore_file, bad,
                                          dir.file("s.sqlite")));
    CHECK(r.status == 2);
    CHECK(has(r.out, fmt::format("execsim explore: --shard {}: expected I/N "
                                 "in decimal digits with 0 <= I < N <= "
                                 "1000000 (e.g. 0/4)\n",
                                 bad)));
  }
  // 1000 seeds: enough for every probe the file's must_reach lists.
  auto ok = execsim_cli(dir, fmt::format("explore {} --seeds 4000 --shard 3/4 -q "
                                         "--db {}",
                                         explore_file, dir.file("s.sqlite")));
  CHECK(ok.status == 0);
  CHECK(has(ok.out, "(shard 3/4)"));
}

TEST_CASE("run refuses --update-golden without --golden, and --db \"\"",
          "[cli][cli_input]") {
  scratch_dir dir;
  auto update = execsim_cli(dir, fmt::format("run scenarios/spec "
                                             "--update-golden --db {}",
                                             dir.file("u.sqlite")));
  CHECK(update.status == 2);
  CHECK(has(update.out, "--update-golden requires --golden"));
  CHECK_FALSE(has(update.out, "PASS"));
  for (const char* cmd : {"run scenarios/spec", "replay 1", "report 1",
                          "explore scenarios/explore/defaults.toml"}) {
    INFO(cmd);
    auto empty = execsim_cli(dir, fmt::format("{} --db ''", cmd));
    CHECK(empty.status == 2);
    CHECK(has(empty.out, "--db: must not be empty"));
    CHECK_FALSE(has(empty.out, "PASS"));
  }
}

TEST_CASE("a bad --golden file is refused before any run", "[cli][cli_input]") {
  scratch_dir dir;
  auto golden = dir.write("golden.txt", "0123456789abcdef  spec/a.toml\n"
                                        "not-a-digest  spec/b.toml\n");
  auto r = execsim_cli(dir, fmt::format("run scenarios/spec --golden {} --db {}",
                                        golden, dir.file("g.sqlite")));
  CHECK(r.status == 2);
  CHECK(r.out == fmt::format("execsim run: {}:2: expected \"<16 lowercase hex "
                             "digits>  <file>\"\n",
                             golden));
  auto missing = execsim_cli(dir, fmt::format("run scenarios/spec --golden {} "
                                              "--db {}",
                                              dir.file("none.txt"),
                                              dir.file("g.sqlite")));
  CHECK(missing.status == 2);
  CHECK(has(missing.out, fmt::format("execsim run: {}: cannot read the golden "
                                     "file (No such file or directory)\n",
                                     dir.file("none.txt"))));
  CHECK_FALSE(has(missing.out, "PASS"));
}

TEST_CASE("a recording that cannot begin a run is an error with a summary, "
          "with any --jobs",
          "[cli][cli_input]") {
  scratch_dir dir;
  auto db = dir.file("locked.sqlite");
  REQUIRE(execsim_cli(dir, fmt::format("run scenarios/spec/"
                                       "worked_timing_1_drop_ack.toml --db {}",
                                       db))
            .status
          == 0);
  // What a read-only file, a held lock or a full disk does to begin_run,
  // as root too: every new run is refused by the database.
  REQUIRE(sqlite3_cli(db, "CREATE TRIGGER refuse BEFORE INSERT ON runs BEGIN "
                          "SELECT RAISE(ABORT, 'database refuses runs'); END;")
          == 0);
  // A run without [[check]]s begins in the file: it is not run.
  auto plain = dir.write("plain.toml", R"(name = "plain"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
quantity = 10
)");
  auto r = execsim_cli(dir, fmt::format("run {} --db {}", plain, db));
  CHECK(r.status == 2);
  CHECK(has(r.out, "ERROR plain  (not run: the recording could not begin "
                   "it)\n"));
  CHECK(has(r.out, "database refuses runs"));
  // The spec's scenarios have [[check]]s: such a run is staged and meets
  // the file only when it commits (docs/recording.md), so it runs and then
  // fails to be recorded.
  for (const char* jobs : {"1", "2", "3"}) {
    INFO(jobs);
    auto r = execsim_cli(dir, fmt::format("run scenarios/spec --jobs {} --db {}",
                                          jobs, db));
    CHECK(r.status == 2); // not 134 (std::terminate)
    CHECK(has(r.out, "error: recording failed: "));
    CHECK(has(r.out, fmt::format("{}: inserting into runs: database refuses "
                                 "runs\n",
                                 db)));
    CHECK(has(r.out, "ERROR spec worked timing 1: drop_ack on attempt 1  (1 "
                     "order, virtual 0.520s, wall "));
    CHECK(has(r.out, "0 passed, 0 failed, 3 errors  (virtual "));
    CHECK(has(r.out, fmt::format("recording into {} failed)\n", db)));
    CHECK_FALSE(has(r.out, "recorded in"));
  }
}

TEST_CASE("a recording that fails mid-run reports SQLite's cause, exit 2",
          "[cli][cli_input]") {
  scratch_dir dir;
  auto db = dir.file("full.sqlite");
  REQUIRE(execsim_cli(dir, fmt::format("run scenarios/spec/"
                                       "worked_timing_1_drop_ack.toml --db {}",
                                       db))
            .status
          == 0);
  REQUIRE(sqlite3_cli(db, "CREATE TRIGGER full BEFORE INSERT ON trace BEGIN "
                          "SELECT RAISE(ABORT, 'database or disk is full'); "
                          "END;")
          == 0);
  auto r = execsim_cli(dir, fmt::format("run scenarios/spec/"
                                        "worked_timing_1_drop_ack.toml --db {}",
                                        db));
  CHECK(r.status == 2);
  CHECK(has(r.out, "ERROR spec worked timing 1: drop_ack on attempt 1  (1 "
                   "order, virtual 0.520s, wall "));
  CHECK(has(r.out, "    error: recording failed: "));
  CHECK(has(r.out, "database or disk is full\n"));
  CHECK_FALSE(has(r.out, "not the open run"));
  CHECK(has(r.out, "0 passed, 0 failed, 1 errors"));
  CHECK_FALSE(has(r.out, "recorded in"));
}

TEST_CASE("explore --out must be writable before exploring",
          "[cli][cli_input][explore]") {
  scratch_dir dir;
  auto file = dir.write("plain-file", "x");
  auto r = execsim_cli(dir, fmt::format("explore {} --out {}/sub --db {}",
                                        explore_file, file,
                                        dir.file("e.sqlite")));
  CHECK(r.status == 2);
  CHECK(r.out == fmt::format("execsim explore: --out {}/sub: {} is not a "
                             "directory\n",
                             file, file));
  // --no-shrink writes nothing there: no need to check.
  auto no_shrink = execsim_cli(dir, fmt::format("explore {} --seeds 1000 -q "
                                                "--no-shrink --out {}/sub "
                                                "--db {}",
                                                explore_file, file,
                                                dir.file("e.sqlite")));
  CHECK(no_shrink.status == 0);
}

TEST_CASE("replay runs a recorded process executor only with "
          "--allow-process",
          "[cli][cli_input][replay]") {
  scratch_dir dir;
  auto db = dir.file("p.sqlite");
  REQUIRE(execsim_cli(dir, fmt::format("run scenarios/examples/"
                                       "process-timeout-after-fill.toml --db {}",
                                       db))
            .status
          == 0);
  auto refused = execsim_cli(dir, fmt::format("replay 1 --db {}", db));
  CHECK(refused.status == 2);
  // The program as the run resolved it, beside the recorded scenario file.
  auto program = std::string{EXECSIM_SOURCE_DIR}
                 + "/scenarios/examples/original_executor.py";
  CHECK(refused.out
        == "execsim replay: run 1 uses a process executor; replaying it runs "
           "the command its recording names: python3 " + program + "\n"
           "  check it, then add --allow-process to run it\n");
  auto allowed = execsim_cli(dir, fmt::format("replay 1 --db {} "
                                              "--allow-process",
                                              db));
  CHECK(allowed.status == 0);
  CHECK(has(allowed.out, "execsim replay: running the recorded process "
                         "executor: python3 " + program + "\n"));
  CHECK(has(allowed.out, "identical  (run 1, digest "));
}

TEST_CASE("replay runs a recorded asyncio executor only with "
          "--allow-process",
          "[cli][cli_input][replay][asyncio]") {
  scratch_dir dir;
  auto db = dir.file("a.sqlite");
  REQUIRE(execsim_cli(dir, fmt::format("run scenarios/examples/asyncio/"
                                       "01_success_first_attempt.toml --db {}",
                                       db))
            .status
          == 0);
  auto refused = execsim_cli(dir, fmt::format("replay 1 --db {}", db));
  CHECK(refused.status == 2);
  CHECK(refused.out
        == "execsim replay: run 1 uses an asyncio executor; replaying it runs "
           "the command its recording names: python3 with the factory "
           "execsim_adapter:make_executor\n"
           "  check it, then add --allow-process to run it\n");
  CHECK_FALSE(has(refused.out, "identical"));
  auto allowed = execsim_cli(dir, fmt::format("replay 1 --db {} "
                                              "--allow-process",
                                              db));
  CHECK(allowed.status == 0);
  CHECK(has(allowed.out, "execsim replay: running the recorded asyncio "
                         "executor: python3 with the factory "
                         "execsim_adapter:make_executor\n"));
  CHECK(has(allowed.out, "identical  (run 1, digest "));
}

TEST_CASE("explore never claims a minimal file it could not write",
          "[cli][cli_input][explore]") {
  scratch_dir dir;
  auto out = dir.file("out");
  // Seed 14 of the original service breaks one_fill_per_key first; its
  // minimal file's name is taken by a directory.
  std::filesystem::create_directories(out + "/original-service-seed14-min.toml");
  auto r = execsim_cli(dir, fmt::format("explore scenarios/explore/"
                                        "original-service.toml --seeds 20 "
                                        "--out {} --db {}",
                                        out, dir.file("e.sqlite")));
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK(has(r.out, fmt::format("     minimal: cannot write {}/original-service-"
                               "seed14-min.toml (Is a directory)\n",
                               out)));
  CHECK_FALSE(has(r.out, "seed14-min.toml (1 order"));
}

TEST_CASE("run checks the --junit folder before any run", "[cli][cli_input]") {
  scratch_dir dir;
  auto file = dir.write("plain-file", "x");
  auto r = execsim_cli(dir, fmt::format("run scenarios/spec --junit {}/j.xml "
                                        "--db {}",
                                        file, dir.file("j.sqlite")));
  CHECK(r.status == 2);
  CHECK(r.out == fmt::format("execsim run: --junit {}/j.xml: {} is not a "
                             "directory\n",
                             file, file));
}

TEST_CASE("a check query that cannot run is refused at load: file:line:column, "
          "exit 2, nothing recorded",
          "[cli][cli_input][checks]") {
  scratch_dir dir;
  auto file = dir.write("broken-check.toml", R"(name = "broken check"
[[orders]]
id = "o1"

[[check]]
sql = "SELECT count(*) FROM fils WHERE run_id = :run"
equals = 1
)");
  auto db = dir.file("c.sqlite");
  auto r = execsim_cli(dir, fmt::format("run {} --db {}", file, db));
  CHECK(r.status == 2);
  CHECK(has(r.out, fmt::format("{}:6:7: check[1].sql: no such table: fils\n",
                               file)));
  CHECK(has(r.out, fmt::format("ERROR {}  (1 error: nothing recorded)\n",
                               file)));
  CHECK(has(r.out, "0 passed, 0 failed, 1 errors  (virtual 0.000s in wall "));
  CHECK(has(r.out, ", nothing recorded)\n"));
  CHECK_FALSE(has(r.out, "recorded in"));
  CHECK_FALSE(has(r.out, "PASS"));
  CHECK_FALSE(has(r.out, "FAIL"));
}
