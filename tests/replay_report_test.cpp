// `execsim replay` and `execsim report`, through the built binary: a run
// recorded into a temporary database replays identically (from the recorded
// text, whatever happened to the file since), a tampered recording does not
// and names the line, and the report prints each order's timeline and a
// Mermaid diagram of the trace.
#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace {

using execsim::testing::scratch_dir;
using execsim::testing::slurp;



/// Single quotes for the shell (paths come from mkdtemp, but still).
std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

struct cli_result {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs `execsim <args>` in `dir`, capturing stdout and stderr.
cli_result run_cli(const scratch_dir& dir, const std::string& args) {
  auto out = dir.file("stdout.txt");
  auto err = dir.file("stderr.txt");
  auto cmd = fmt::format("cd {} && {} {} >{} 2>{}", shell_quoted(dir.file("")),
                         shell_quoted(EXECSIM_BINARY), args, shell_quoted(out),
                         shell_quoted(err));
  int raw = std::system(cmd.c_str());
  cli_result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

using execsim::testing::raw_db;

// A lost ack: attempt 1 fills at 10ms, its ack is dropped, it times out at
// 500ms, and the duplicate check finds the order at 520ms.
constexpr const char* lost_ack = R"(name = "lost ack recovered"

[executor]
submit_timeout = "500ms"

[exchange.prices]
AAPL = "150.25"

[[orders]]
id = "o1"

[[faults]]
kind = "drop_ack"
order = "o1"
attempt = 1

[[expect]]
order = "o1"
success = true
finished_at = "520ms"
)";

/// Records `text` as run 1 of `db` in `dir`.
void record(const scratch_dir& dir, const std::string& text,
            const char* name = "lost_ack.toml") {
  dir.write(name, text);
  auto r = run_cli(dir, fmt::format("run {} --db run.sqlite", name));
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size()))
    ++n;
  return n;
}

} // namespace

TEST_CASE("replay: a recorded run replays identically", "[replay]") {
  scratch_dir dir;
  record(dir, lost_ack);
  raw_db db{dir.file("run.sqlite")};
  auto digest = db.scalar("SELECT digest FROM runs WHERE run_id = 1");

  auto r = run_cli(dir, "replay 1 --db run.sqlite");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out == fmt::format("identical  (run 1, digest {})\n", digest));

  SECTION("from the recorded text, not the file as it is now") {
    std::string changed = lost_ack;
    changed.replace(changed.find("\"500ms\""), 7, "\"2s\"");
    dir.write("lost_ack.toml", changed);
    auto again = run_cli(dir, "replay 1 --db run.sqlite");
    CHECK(again.status == 0);
    CHECK(again.out == r.out);

    std::filesystem::remove(dir.file("lost_ack.toml"));
    again = run_cli(dir, "replay 1 --db run.sqlite");
    CHECK(again.status == 0);
    CHECK(again.out == r.out);
  }
  SECTION("the default database is execsim.sqlite") {
    std::filesystem::copy_file(dir.file("run.sqlite"),
                               dir.file("execsim.sqlite"));
    auto again = run_cli(dir, "replay 1");
    CHECK(again.status == 0);
    CHECK(again.out == r.out);
  }
}

TEST_CASE("replay: a tampered recording is different and names the line",
          "[replay]") {
  scratch_dir dir;
  record(dir, lost_ack);
  raw_db db{dir.file("run.sqlite")};
  auto line5 = db.scalar("SELECT line FROM trace WHERE run_id = 1 AND seq = 5");
  auto digest = db.scalar("SELECT digest FROM runs WHERE run_id = 1");
  REQUIRE(line5
          == "10000000 executor/o1 -> exchange: submit attempt=1 "
             "key=T1:AAPL:1:MKT:t+0:v1");

  SECTION("trace and digest") {
    db.exec("UPDATE runs SET digest = '0123456789abcdef' WHERE run_id = 1");
    db.exec("UPDATE trace SET line = '10000000 executor/o1 -> exchange: "
            "submit attempt=2' WHERE run_id = 1 AND seq = 5");
    auto r = run_cli(dir, "replay 1 --db run.sqlite");
    CHECK(r.status == 1);
    CHECK(r.out
          == fmt::format("different: first differing trace line 5\n"
                         "  recorded: 10000000 executor/o1 -> exchange: "
                         "submit attempt=2\n"
                         "  replayed: {}\n"
                         "  digests:  recorded 0123456789abcdef, replayed "
                         "{}\n",
                         line5, digest));
  }
  SECTION("the trace alone") {
    db.exec("UPDATE trace SET line = 'x' WHERE run_id = 1 AND seq = 5");
    auto r = run_cli(dir, "replay 1 --db run.sqlite");
    CHECK(r.status == 1);
    CHECK(r.out.rfind("different: first differing trace line 5\n"
                      "  recorded: x\n",
                      0)
          == 0);
  }
  SECTION("the digest alone") {
    db.exec("UPDATE runs SET digest = '0123456789abcdef' WHERE run_id = 1");
    auto lines = db.scalar("SELECT count(*) FROM trace WHERE run_id = 1");
    auto r = run_cli(dir, "replay 1 --db run.sqlite");
    CHECK(r.status == 1);
    CHECK(r.out
          == fmt::format("different: the {} recorded trace lines match, but "
                         "the digests differ\n"
                         "  digests:  recorded 0123456789abcdef, replayed "
                         "{}\n",
                         lines, digest));
  }
  SECTION("control characters and ANSI sequences are printed escaped") {
    db.exec("UPDATE trace SET line = 'x' || char(27) || '[2J' || char(13) || "
            "char(155) || 'y' WHERE run_id = 1 AND seq = 5");
    auto r = run_cli(dir, "replay 1 --db run.sqlite");
    CHECK(r.status == 1);
    CHECK(r.out.rfind("different: first differing trace line 5\n"
                      "  recorded: x\\u001b[2J\\u000d\\u009by\n",
                      0)
          == 0);
    CHECK(r.out.find('\x1b') == std::string::npos);
  }
  SECTION("a line missing at the end") {
    auto last = db.scalar("SELECT max(seq) FROM trace WHERE run_id = 1");
    db.exec("UPDATE runs SET digest = '0123456789abcdef' WHERE run_id = 1");
    db.exec("DELETE FROM trace WHERE run_id = 1 AND seq = " + last);
    auto r = run_cli(dir, "replay 1 --db run.sqlite");
    CHECK(r.status == 1);
    CHECK(r.out.rfind(fmt::format("different: first differing trace line {}\n"
                                  "  recorded: (trace ended)\n",
                                  last),
                      0)
          == 0);
  }
}

TEST_CASE("replay: an explore run replays with its random faults",
          "[replay]") {
  scratch_dir dir;
  // Lost acks and failed checks make the executor resubmit; the exchange
  // accepts the duplicate, so some seeds break one_fill_per_key and are
  // recorded with kind 'explore'.
  dir.write("dupes.toml", R"(name = "explore dupes"
[executor]
submit_timeout = "500ms"
[exchange]
on_duplicate_key = "accept"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
[explore]
drop_ack = 0.5
check_fail = 0.5
)");
  auto e = run_cli(dir, "explore dupes.toml --db run.sqlite --seeds 20 "
                        "--no-shrink --quiet --record-max 2");
  INFO(e.out << e.err);
  REQUIRE(e.status == 1);
  raw_db db{dir.file("run.sqlite")};
  REQUIRE(db.column("SELECT kind FROM runs ORDER BY run_id")
          == std::vector<std::string>{"explore", "explore"});

  for (const char* id : {"1", "2"}) {
    auto r = run_cli(dir, fmt::format("replay {} --db run.sqlite", id));
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.rfind("identical  (run ", 0) == 0);
  }
  // Replayed as a plain run, the faults it drew are not drawn again.
  db.exec("UPDATE runs SET kind = 'run' WHERE run_id = 1");
  auto r = run_cli(dir, "replay 1 --db run.sqlite");
  CHECK(r.status == 1);
  CHECK(r.out.rfind("different: first differing trace line ", 0) == 0);
}

TEST_CASE("replay: no such run or database is bad input", "[replay]") {
  scratch_dir dir;
  record(dir, lost_ack);

  auto r = run_cli(dir, "replay 7 --db run.sqlite");
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err
        == "execsim replay: run.sqlite: no run 7 (it has runs 1 to 1)\n");

  r = run_cli(dir, "replay 1 --db missing.sqlite");
  CHECK(r.status == 2);
  CHECK(r.err.find("missing.sqlite: no such recording") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("missing.sqlite")));

  dir.write("junk.sqlite", "not a database at all, just text\n");
  r = run_cli(dir, "replay 1 --db junk.sqlite");
  CHECK(r.status == 2);
  CHECK(r.err.find("junk.sqlite: not an SQLite database") != std::string::npos);

  r = run_cli(dir, "replay --db run.sqlite");
  CHECK(r.status == 2);
}

TEST_CASE("report: text shows each order's timeline", "[report]") {
  scratch_dir dir;
  record(dir, lost_ack);
  raw_db db{dir.file("run.sqlite")};
  auto digest = db.scalar("SELECT digest FROM runs WHERE run_id = 1");

  auto r = run_cli(dir, "report 1 --db run.sqlite");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  // The file as recorded: absolute (replay resolves paths beside it).
  CHECK(r.out.rfind(fmt::format("run 1: lost ack recovered\n"
                                "  file         {}\n"
                                "  kind         run\n"
                                "  seed         0\n"
                                "  verdict      pass\n"
                                "  digest       {}\n"
                                "  virtual end  520ms\n"
                                "  started at   ",
                                dir.file("lost_ack.toml"), digest),
                    0)
        == 0);
  auto order = "\norder o1: T1 buy 1 AAPL market\n"
               "  key     T1:AAPL:1:MKT:t+0:v1\n"
               "  result  success, exchange order X-1, fill price 150.25, "
               "retry_count 0, started 0s, finished 520ms\n"
               "            0s  event order.execution_started\n"
               "            0s  attempt 1 sent\n"
               "          10ms  fill 1 @ 150.25 (X-1)\n"
               "          10ms  fault drop_ack on attempt 1\n"
               "         500ms  attempt 1 timed out\n"
               "         500ms  check after attempt 1 sent\n"
               "         520ms  check after attempt 1 answered: found X-1\n"
               "         520ms  event order.executed\n"
               "         520ms  event order.recovered\n";
  CHECK(r.out.find(order) != std::string::npos);
  CHECK(r.out.find("violations") == std::string::npos);

  SECTION("without a run id: the newest run") {
    record(dir, R"(name = "second"
[[orders]]
id = "o9"
)",
           "second.toml");
    auto latest = run_cli(dir, "report --db run.sqlite");
    CHECK(latest.status == 0);
    CHECK(latest.out.rfind("run 2: second\n", 0) == 0);
    CHECK(latest.out.find("\norder o9: ") != std::string::npos);
  }
  SECTION("violations are listed") {
    db.exec("INSERT INTO violations (run_id, invariant, order_id, detail) "
            "VALUES (1, 'one_fill_per_key', 'o1', 'two orders')");
    auto v = run_cli(dir, "report --db run.sqlite");
    CHECK(v.out.find("\nviolations\n  one_fill_per_key (o1): two orders\n")
          != std::string::npos);
  }
}

TEST_CASE("report: a retried order and a late answer", "[report]") {
  scratch_dir dir;
  record(dir, R"(name = "retries"
[executor]
submit_timeout = "500ms"
initial_backoff = "100ms"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
[[orders]]
id = "o-2"
at = "1s"
side = "sell"
quantity = 3
price = "150.50"
[[faults]]
kind = "reject"
order = "o1"
attempt = 1
code = "RATE_LIMITED"
[[faults]]
kind = "network_error"
order = "o1"
attempt = 2
[[faults]]
kind = "delay_ack"
order = "o-2"
attempt = 1
delay = "700ms"
[[faults]]
kind = "check_drop"
order = "o-2"
)");
  auto r = run_cli(dir, "report --db run.sqlite");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  // A network error answers at once: the answer still follows its send.
  CHECK(r.out.find("         140ms  attempt 2 sent\n"
                   "         140ms  fault network_error on attempt 2\n"
                   "         140ms  attempt 2 answered: network_error "
                   "NETWORK_ERROR\n"
                   "         140ms  check after attempt 2 sent\n")
        != std::string::npos);
  CHECK(r.out.find("  result  success, exchange order X-1, fill price "
                   "150.25, retry_count 2, started 0s, finished 380ms\n")
        != std::string::npos);
  // The delayed ack came after the timeout and settled the order before
  // the pending check could time out.
  CHECK(r.out.find("\norder o-2: T1 sell 3 AAPL limit 150.50\n")
        != std::string::npos);
  CHECK(r.out.find("          1.5s  attempt 1 timed out\n"
                   "          1.5s  check after attempt 1 sent\n"
                   "         1.51s  fault check_drop on the check after "
                   "attempt 1\n"
                   "         1.72s  attempt 1 answered late, after its "
                   "timeout: ack\n"
                   "         1.72s  event order.executed\n"
                   "         1.72s  event order.recovered\n"
                   "         1.72s  check after attempt 1 got no answer "
                   "before the order finished\n")
        != std::string::npos);
}

// Only actors that send or receive a drawn message are declared: no
// `network` participant (#19).
TEST_CASE("report: mermaid draws one arrow per trace line", "[report]") {
  scratch_dir dir;
  record(dir, lost_ack);
  raw_db db{dir.file("run.sqlite")};
  auto lines = std::stoul(
    db.scalar("SELECT count(*) FROM trace WHERE run_id = 1"));

  auto r = run_cli(dir, "report 1 --db run.sqlite --format mermaid");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.rfind("sequenceDiagram\n"
                    "  participant driver\n"
                    "  participant E_o1 as executor/o1\n"
                    "  participant exchange\n"
                    "  participant bus\n"
                    "  participant tracker\n"
                    "  participant recorder\n"
                    "  driver->>E_o1: 0s execute\n",
                    0)
        == 0);
  CHECK(count_of(r.out, "->>") == lines);
  CHECK(r.out.find("  E_o1->>E_o1: 500ms submit timeout, attempt 1\n")
        != std::string::npos);
  CHECK(r.out.find("  exchange->>E_o1: 520ms check_answer after_attempt=1 "
                   "found X-1\n")
        != std::string::npos);
  CHECK(r.out.find("not shown") == std::string::npos);
  // JSON payloads: braces as entity codes.
  CHECK(r.out.find("order.execution_started #123;\"order_id\"")
        != std::string::npos);

  SECTION("characters Mermaid reads as syntax are escaped") {
    db.exec("UPDATE trace SET line = '0 driver -> executor/o1: a;b#c{d}<e>' "
            "WHERE run_id = 1 AND seq = 1");
    auto m = run_cli(dir, "report 1 --db run.sqlite --format mermaid");
    CHECK(m.out.find("  driver->>E_o1: 0s a#59;b#35;c#123;d#125;#60;e#62;\n")
          != std::string::npos);
  }
}

TEST_CASE("report: mermaid stops at 500 arrows", "[report]") {
  scratch_dir dir;
  std::string text = "name = \"many\"\n";
  for (int i = 0; i < 60; ++i)
    text += fmt::format("[[orders]]\nid = \"o-{}\"\nat = \"{}ms\"\n", i, i);
  record(dir, text, "many.toml");
  raw_db db{dir.file("run.sqlite")};
  auto lines = std::stoul(
    db.scalar("SELECT count(*) FROM trace WHERE run_id = 1"));
  REQUIRE(lines > 500);

  auto r = run_cli(dir, "report --db run.sqlite --format mermaid");
  CHECK(r.status == 0);
  CHECK(count_of(r.out, "->>") == 500);
  CHECK(r.out.find("  participant E_o_0 as executor/o-0\n")
        != std::string::npos);
  auto note = fmt::format("  Note over driver: {} more messages not shown\n",
                          lines - 500);
  CHECK(r.out.size() >= note.size());
  CHECK(r.out.compare(r.out.size() - note.size(), note.size(), note) == 0);
}

TEST_CASE("report: no such run or database is bad input", "[report]") {
  scratch_dir dir;
  record(dir, lost_ack);
  auto r = run_cli(dir, "report 3 --db run.sqlite");
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err
        == "execsim report: run.sqlite: no run 3 (it has runs 1 to 1)\n");

  r = run_cli(dir, "report --db missing.sqlite");
  CHECK(r.status == 2);
  CHECK(r.err.find("missing.sqlite: no such recording") != std::string::npos);

  r = run_cli(dir, "report 1 --db run.sqlite --format svg");
  CHECK(r.status == 2);
}

TEST_CASE("report: names from an older recording print without control "
          "characters",
          "[report]") {
  scratch_dir dir;
  record(dir, lost_ack);
  raw_db db{dir.file("run.sqlite")};
  // What an older execsim accepted, or anyone with sqlite3 can write: a
  // window-title sequence in the scenario name, a colour in the order id.
  db.exec("UPDATE runs SET scenario = 'evil' || char(27) || ']0;owned' || "
          "char(7) WHERE run_id = 1");
  db.exec("UPDATE orders SET trader = 'T' || char(27) || '[31m1' WHERE "
          "run_id = 1");
  auto r = run_cli(dir, "report 1 --db run.sqlite");
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.rfind("run 1: evil\\u001b]0;owned\\u0007\n", 0) == 0);
  CHECK(r.out.find("\norder o1: T\\u001b[31m1 buy 1 AAPL market\n")
        != std::string::npos);
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.out.find('\x07') == std::string::npos);
}
