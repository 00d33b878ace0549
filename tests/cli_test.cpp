// The command line as users meet it: --version, usage errors, JUnit, --jobs,
// replay of every shipped scenario, and the README's SQL queries.
#include "tests/cli_support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <regex>
#include <sys/wait.h>

using execsim::testing::scratch_dir;
using execsim::testing::slurp;

using execsim::testing::execsim_cli;

namespace {

/// The run lines without what differs between runs (run id, wall time).
std::string stable(const std::string& text) {
  static const std::regex volatile_parts{R"(run \d+, |wall [0-9.]+m?s|\(virtual .*)"};
  return std::regex_replace(text, volatile_parts, "");
}

} // namespace

TEST_CASE("execsim --version and usage errors", "[cli]") {
  scratch_dir dir;
  auto v = execsim_cli(dir, "--version");
  CHECK(v.status == 0);
  CHECK(v.out.rfind("execsim 0.1.0 (", 0) == 0);
  auto unknown = execsim_cli(dir, "frobnicate");
  CHECK(unknown.status == 2);
  CHECK(unknown.out.find("frobnicate") != std::string::npos);
  auto none = execsim_cli(dir, "");
  CHECK(none.status == 2);
  auto help = execsim_cli(dir, "run --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("--junit") != std::string::npos);
}

TEST_CASE("run --junit writes one testcase per scenario", "[cli]") {
  scratch_dir dir;
  auto r = execsim_cli(dir, fmt::format("run scenarios/spec tests/malformed/"
                                        "unknown_fault_kind.toml --db {} "
                                        "--junit {}",
                                        dir.file("j.sqlite"),
                                        dir.file("junit.xml")));
  CHECK(r.status == 2); // one file is bad input
  auto xml = slurp(dir.file("junit.xml"));
  CHECK(xml.find("<testsuite name=\"execsim\" tests=\"4\" failures=\"0\" "
                 "errors=\"1\"")
        != std::string::npos);
  CHECK(xml.find("<error message=\"tests/malformed/unknown_fault_kind.toml:"
                 "8:8: faults[1].kind: unknown fault kind")
        != std::string::npos);
  CHECK(xml.find("name=\"spec worked timing 1") != std::string::npos);
}

TEST_CASE("run --jobs 2 prints what --jobs 1 prints", "[cli]") {
  scratch_dir dir;
  auto args = fmt::format("run scenarios/order-executor scenarios/faults --db {}",
                          dir.file("j.sqlite"));
  auto one = execsim_cli(dir, args);
  auto two = execsim_cli(dir, args + " --jobs 2");
  CHECK(one.status == 0);
  CHECK(two.status == 0);
  CHECK(stable(one.out) == stable(two.out));
}

TEST_CASE("every shipped scenario replays identically", "[cli][replay]") {
  scratch_dir dir;
  auto db = dir.file("all.sqlite");
  auto run = execsim_cli(dir, fmt::format("run scenarios --quiet --db {}", db));
  REQUIRE(run.status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(run.out, m, std::regex{R"((\d+) passed, 0 failed)"}));
  auto runs = std::stoi(m[1]);
  CHECK(runs >= 50);
  for (int id = 1; id <= runs; ++id) {
    auto r = execsim_cli(dir, fmt::format("replay {} --db {} --allow-process",
                                          id, db));
    INFO(r.out);
    CHECK(r.status == 0);
    // (a process executor's replay first says which program it runs)
    CHECK(r.out.find(fmt::format("identical  (run {}, digest ", id))
          != std::string::npos);
  }
}

TEST_CASE("the README's queries run as printed", "[cli][readme]") {
  scratch_dir dir;
  // The file the Quick-start command writes: every shipped scenario.
  auto run = execsim_cli(dir, fmt::format("run scenarios --quiet --db {}",
                                          dir.file("execsim.sqlite")));
  REQUIRE(run.status == 0);
  // ... and a backtest, for the slippage query.
  auto bt = execsim_cli(dir, fmt::format(
    "backtest --market scenarios/backtest/market.csv --orders "
    "scenarios/backtest/orders.csv --scenario scenarios/backtest/settings.toml "
    "--db {}",
    dir.file("execsim.sqlite")));
  REQUIRE(bt.status == 0);
  auto readme = slurp(std::string(EXECSIM_SOURCE_DIR) + "/README.md");
  std::regex query{R"re(sqlite3 -header execsim\.sqlite "([^"]+)")re"};
  int n = 0;
  for (std::sregex_iterator i(readme.begin(), readme.end(), query), end;
       i != end; ++i, ++n) {
    auto sql_file = dir.write("q.sql", (*i)[1].str() + ";\n");
    auto out = dir.file("q.out");
    auto cmd = fmt::format("sqlite3 -bail -header {} < {} > {} 2>&1",
                           dir.file("execsim.sqlite"), sql_file, out);
    auto status = std::system(cmd.c_str());
    INFO((*i)[1].str());
    INFO(slurp(out));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_FALSE(slurp(out).empty());
  }
  CHECK(n == 7);
}
