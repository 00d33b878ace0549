// Golden digests for CI (#15): keyed by the scenario file relative to the
// golden file, so any working directory and an absolute --golden work;
// --update-golden pins only passing runs; an entry whose file is gone fails
// the check until --update-golden drops it.
#include "tests/cli_support.hpp"

#include "libexec/run/golden.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>

using execsim::testing::execsim_cli;
using execsim::testing::execsim_cli_in;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::string source_dir = EXECSIM_SOURCE_DIR;

constexpr const char* failing_scenario = R"(name = "expects a failure, gets a fill"
seed = 1
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
at = "0s"
quantity = 100
timestamp = "2025-10-17T14:30:00Z"
[[expect]]
order = "o1"
success = false
)";

} // namespace

TEST_CASE("the shipped golden file matches from any directory", "[golden]") {
  scratch_dir dir;
  auto golden = source_dir + "/scenarios/golden.txt";
  auto args = fmt::format("run {}/scenarios/spec --quiet --golden {} --db {}",
                          source_dir, golden, dir.file("g.sqlite"));
  auto elsewhere = execsim_cli_in(dir.path(), dir, args);
  INFO(elsewhere.out);
  CHECK(elsewhere.status == 0);
  CHECK(has(elsewhere.out, "3 passed, 0 failed, 0 errors"));
  auto relative = execsim_cli(dir, fmt::format("run scenarios/spec --quiet "
                                               "--golden scenarios/golden.txt "
                                               "--db {}",
                                               dir.file("g.sqlite")));
  CHECK(relative.status == 0);
  CHECK(execsim::cli::golden_key(golden, source_dir + "/scenarios/spec/x.toml")
        == "spec/x.toml");
}

TEST_CASE("run --update-golden does not pin a failing run's digest", "[golden]") {
  scratch_dir dir;
  dir.write("fail.toml", failing_scenario);
  auto golden = dir.file("golden.txt");
  auto r = execsim_cli_in(dir.path(), dir,
                          fmt::format("run fail.toml {}/scenarios/spec/"
                                      "worked_timing_1_drop_ack.toml "
                                      "--golden golden.txt --update-golden "
                                      "--db g.sqlite",
                                      source_dir));
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK(has(r.out, "golden: fail.toml not updated: the run did not pass\n"));
  auto text = slurp(golden);
  CHECK_FALSE(has(text, "fail.toml"));
  auto key = execsim::cli::golden_key(
    golden, source_dir + "/scenarios/spec/worked_timing_1_drop_ack.toml");
  CHECK(has(text, "  " + key + "\n"));
}

TEST_CASE("a golden entry whose file is gone fails until --update-golden",
          "[golden]") {
  scratch_dir dir;
  auto ok = dir.write("ok.toml", slurp(source_dir + "/scenarios/spec/"
                                                    "worked_timing_1_drop_ack"
                                                    ".toml"));
  auto golden = dir.file("golden.txt");
  REQUIRE(execsim_cli_in(dir.path(), dir,
                         "run ok.toml --golden golden.txt --update-golden "
                         "--db g.sqlite")
            .status
          == 0);
  dir.write("golden.txt", slurp(golden) + "0123456789abcdef  gone.toml\n");
  auto r = execsim_cli_in(dir.path(), dir,
                          "run ok.toml --golden golden.txt --db g.sqlite "
                          "--junit j.xml");
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK(has(r.out, "FAIL golden entry gone.toml in golden.txt: the file no "
                   "longer exists (remove it with --update-golden)\n"));
  CHECK(has(r.out, "1 passed, 1 failed, 0 errors"));
  CHECK(has(slurp(dir.file("j.xml")), "failures=\"1\" errors=\"0\""));
  auto update = execsim_cli_in(dir.path(), dir,
                               "run ok.toml --golden golden.txt "
                               "--update-golden --db g.sqlite");
  CHECK(update.status == 0);
  CHECK(has(update.out, "golden: gone.toml removed: the file no longer "
                        "exists\n"));
  CHECK_FALSE(has(slurp(golden), "gone.toml"));
  CHECK(execsim_cli_in(dir.path(), dir,
                       "run ok.toml --golden golden.txt --db g.sqlite")
          .status
        == 0);
  (void)ok;
}
