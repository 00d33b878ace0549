// Fewer round trips to a user's program (#16), with nothing else changed:
// a reused program's `reset` and the harness's `run` go out with the run's
// first message (posted, no round trip of their own), and the asyncio
// harness cancels a wake-up it no longer needs instead of being woken for
// nothing. A reused program that cannot take its posted reset is replaced
// by a fresh one, as it was when the reset had a round trip of its own.
#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"

#include <string>

using execsim::testing::execsim_cli_in;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

const std::string source_dir = EXECSIM_SOURCE_DIR;

/// A one-order file whose program is prog.py beside it.
const std::string program_toml = R"(name = "a program reused between runs"
[executor]
kind = "process"
command = ["python3", "prog.py"]
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)";

/// Answers execute with a failure result (nothing at the exchange, so the
/// run passes); `on_reset` is what it writes for a reset before "ready".
std::string program_py(const std::string& on_reset,
                       const std::string& after_execute = "") {
  return R"(import sys
for line in sys.stdin:
    if '"reset"' in line:
        )" + on_reset
         + R"(
    elif '"execute"' in line:
        print('{"type":"result","order_id":"o1","success":false,"retry_count":0,"exchange_order_id":null,"fill_price":null,"error":"no","error_code":"NO"}')
    print('{"type":"ready"}', flush=True)
    )" + after_execute
         + "\n";
}

} // namespace

TEST_CASE("a reused program that answers its reset with an action is "
          "replaced by a fresh one, as before the reset was posted",
          "[process]") {
  scratch_dir dir;
  dir.write("prog.py",
            "open('starts.txt', 'a').write('start\\n')\n"
              + program_py(R"(print('{"type":"set_timer","order_id":"o1","id":1,"after_ns":5}'))"));
  dir.write("a.toml", program_toml);
  dir.write("b.toml", program_toml);
  dir.write("c.toml", program_toml);
  auto r = execsim_cli_in(dir.path(), dir,
                          "run a.toml b.toml c.toml --db r.sqlite");
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("3 passed, 0 failed, 0 errors"));
  // One start per run: the first, then one for each refused reset.
  CHECK(execsim::testing::slurp(dir.file("starts.txt"))
        == "start\nstart\nstart\n");
}

TEST_CASE("a program that exited after its run is started again for the "
          "next one",
          "[process]") {
  scratch_dir dir;
  // It answers one execute, then exits 0: the next run cannot reuse it.
  dir.write("prog.py", program_py("pass", "if '\"execute\"' in line: "
                                          "sys.exit(0)"));
  dir.write("a.toml", program_toml);
  dir.write("b.toml", program_toml);
  auto r = execsim_cli_in(dir.path(), dir, "run a.toml b.toml --db r.sqlite");
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("2 passed, 0 failed, 0 errors"));
}

TEST_CASE("the asyncio harness cancels the wake-up of a check answered "
          "early: the order is woken only when its code is due",
          "[asyncio]") {
  // Attempt 1 lost: timeout at 2 s, the check answered at 2.02 s (its own
  // 1 s check timeout, due at 3 s, no longer needed), backoff to 3.02 s;
  // attempt 2's answer lost: timeout at 5.02 s. No timer at 3 s.
  scratch_dir dir;
  auto r = execsim_cli_in(
    source_dir, dir,
    "run scenarios/examples/asyncio/13_several_timeouts_several_checks.toml "
    "--db " + dir.file("r.sqlite"));
  REQUIRE(r.status == 0);
  raw_db db(dir.file("r.sqlite"));
  auto rows = db.rows("SELECT at_ns FROM trace WHERE line LIKE "
                      "'%executor/o1 -> executor/o1: timer 0x%' ORDER BY seq");
  std::vector<std::string> at;
  for (const auto& row : rows)
    at.push_back(row.at(0));
  CHECK(at == std::vector<std::string>{"2000000000", "3020000000",
                                       "5020000000"});
}
