// The timeline `execsim run` prints under a failed expectation says what
// `execsim report` says: an answer that comes after its call's timeout (at
// the very instant included) is "answered late", after the "timed out"
// line, never a plain "answered" that would hide why the order went on.
#include "tests/cli_support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

TEST_CASE("a check answered at its timeout is late in run's failure "
          "timeline",
          "[cli][report]") {
  scratch_dir dir;
  // The shipped file, with o2's expected retry_count made wrong so that
  // the run fails and prints o2's timeline.
  auto text = slurp(std::string(EXECSIM_SOURCE_DIR)
                    + "/scenarios/faults/delay_check_at_timeout.toml");
  auto o2 = text.find("[[expect]]\norder = \"o2\"");
  REQUIRE(o2 != std::string::npos);
  auto retry = text.find("retry_count = 1", o2);
  REQUIRE(retry != std::string::npos);
  text.replace(retry, 15, "retry_count = 5");
  auto file = dir.write("late.toml", text);
  auto r = execsim_cli(dir, fmt::format("run {} --db {}", file,
                                        dir.file("late.sqlite")));
  CHECK(r.status == 1);
  CHECK(r.out.find("    o2: retry_count: expected 5, got 1\n"
                   "    o2 timeline:\n"
                   "            0s  attempt 1 sent\n"
                   "            1s  attempt 1 timed out\n"
                   "            1s  check after attempt 1 sent\n"
                   "          1.5s  check after attempt 1 timed out\n"
                   "          1.5s  check after attempt 1 answered late, "
                   "after its timeout: found\n"
                   "            2s  attempt 2 sent\n"
                   "         2.04s  attempt 2 answered: ack\n"
                   "         2.04s  result: success X-2\n")
        != std::string::npos);
}
