// A [[check]] that tries to change the recording's settings is refused when
// its file is loaded (file:line:column, exit 2, nothing recorded) and leaves
// the next file of the same process recorded as usual. (At run time the
// authorizer refuses the same; tests/recording_checks_test.cpp.)
#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include <sys/wait.h>

using execsim::testing::raw_db;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

constexpr const char* one_order = R"(
[exchange]
latency = "20ms"
[exchange.prices]
AAPL = "150.25"

[[orders]]
id = "o1"
quantity = 10
)";

} // namespace

TEST_CASE("a check that tries to change a setting spoils no later run",
          "[recording][checks][cli]") {
  scratch_dir scratch;
  auto dir = scratch.path();
  scratch.write("a.toml", std::string{"name = \"sabotage\"\n"} + one_order
                            + R"(
[[check]]
sql = "PRAGMA max_page_count = 1"
equals = 1
)");
  scratch.write("b.toml", std::string{"name = \"after\"\n"} + one_order
                            + R"(
[[check]]
sql = "SELECT count(*) FROM fills WHERE run_id = :run"
equals = 1
)");
  auto cmd = fmt::format("cd {0} && {1} run a.toml b.toml --db {0}/r.sqlite "
                         "> {0}/out.txt 2>&1",
                         dir, EXECSIM_BINARY);
  auto status = std::system(cmd.c_str());
  auto out = slurp(dir + "/out.txt");
  INFO(out);
  REQUIRE(WIFEXITED(status));
  // Found when the file is loaded: bad input, and nothing of it recorded.
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("a.toml:13:7: check[1].sql: query is not read-only: PRAGMA "
                 "max_page_count = 1 is refused in a check\n")
        != std::string::npos);
  CHECK(out.find("1 passed, 0 failed, 1 errors") != std::string::npos);
  raw_db db{dir + "/r.sqlite"};
  CHECK(db.rows("SELECT scenario, verdict FROM runs ORDER BY run_id")
        == std::vector<std::vector<std::string>>{{"after", "pass"}});
  CHECK(db.integer("SELECT count(*) FROM fills") == 1);
  CHECK(db.text("PRAGMA integrity_check") == "ok");
}
