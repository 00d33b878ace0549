// A recorded attempt says when the executor gave up on it, whether its
// answer came late, and whether the order finished while it was still
// awaited (#15; attempts.timed_out_at_ns, late_answer, abandoned, schema
// version 3). `outcome` keeps its meaning: `timeout` when the executor
// gave up or no answer came.
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>

#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

using rows_t = std::vector<std::vector<std::string>>;

/// Latency 20ms, submit timeout 1s, check timeout 500ms, backoff 500ms;
/// attempt 1's answer is delayed by `delay` and its check fails; `more`
/// adds faults.
std::string late_ack_case(const std::string& delay,
                          const std::string& more = "") {
  return fmt::format(R"(name = "late ack"
[executor]
submit_timeout = "1s"
check_timeout = "500ms"
initial_backoff = "500ms"
[exchange]
latency = "20ms"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
[[faults]]
order = "o1"
attempt = 1
kind = "delay_ack"
delay = "{}"
[[faults]]
order = "o1"
attempt = 1
kind = "check_fail"
{})",
                     delay, more);
}

struct recorded {
  run_outcome out;
  rows_t attempts;
  rows_t order;
};

/// Runs `text` into a fresh recording in `dir` (r.sqlite) and reads its
/// attempts and order.
recorded run_text(const std::string& text, const scratch_dir& dir = {}) {
  auto loaded = load_scenario_text(text, "attempts.toml");
  REQUIRE(loaded.errors.empty());
  std::string error;
  auto rec = recording::open(dir.file("r.sqlite"), error);
  REQUIRE(rec);
  run_options opt;
  opt.db = rec.get();
  recorded r;
  r.out = run_scenario(*loaded.value, opt);
  raw_db db{dir.file("r.sqlite")};
  r.attempts = db.rows(
    "SELECT attempt, sent_at_ns, answered_at_ns, outcome, timed_out_at_ns,"
    " late_answer, abandoned FROM attempts ORDER BY attempt");
  r.order = db.rows("SELECT success, retry_count, finished_at_ns FROM orders");
  return r;
}

} // namespace

TEST_CASE("a late ack that ends the order: answered late; the attempt in "
          "flight then is abandoned",
          "[recording][attempts]") {
  // 0 attempt 1 sent (filled at 20ms; its ack delayed to 40 + 1530 =
  // 1570ms); 1s timed out; check 1s -> 1.04s failed; backoff 500ms:
  // attempt 2 at 1.54s; 1.57s attempt 1's late ack ends the order while
  // attempt 2 is awaited; 1.58s attempt 2's answer (X-1 again) comes after.
  auto r = run_text(late_ack_case("1530ms"));
  INFO(r.out.error);
  CHECK(r.out.pass);
  CHECK(r.order == rows_t{{"1", "1", "1570000000"}});
  CHECK(r.attempts
        == rows_t{{"1", "0", "1570000000", "timeout", "1000000000", "ack",
                   "0"},
                  {"2", "1540000000", "1580000000", "ack", "NULL", "NULL",
                   "1"}});
}

TEST_CASE("report shows the late answer and the abandoned attempt",
          "[recording][attempts][report]") {
  scratch_dir dir;
  run_text(late_ack_case("1530ms"), dir);
  auto report = execsim::testing::execsim_cli(
    dir, "report --db " + dir.file("r.sqlite"));
  INFO(report.out);
  CHECK(report.status == 0);
  CHECK(report.out.find(
          "         1.54s  attempt 2 sent\n"
          "         1.57s  attempt 1 answered late, after its timeout: ack\n"
          "         1.57s  event order.executed\n"
          "         1.57s  event order.recovered\n"
          "         1.57s  attempt 2 abandoned: the order finished while it "
          "was awaited\n"
          "         1.58s  attempt 2 answered after the order finished: ack\n")
        != std::string::npos);
}

TEST_CASE("an attempt whose answer is lost when the order finishes is "
          "abandoned, outcome timeout",
          "[recording][attempts]") {
  auto r = run_text(late_ack_case("1530ms", R"([[faults]]
order = "o1"
attempt = 2
kind = "drop_ack"
)"));
  INFO(r.out.error);
  CHECK(r.order == rows_t{{"1", "1", "1570000000"}});
  CHECK(r.attempts
        == rows_t{{"1", "0", "1570000000", "timeout", "1000000000", "ack",
                   "0"},
                  {"2", "1540000000", "NULL", "timeout", "NULL", "NULL",
                   "1"}});
}

TEST_CASE("a late ack after the result is answered late, not abandoned",
          "[recording][attempts]") {
  // Attempt 2 (1.54s) ends the order at 1.58s; attempt 1's ack comes at
  // 40 + 3000 = 3.04s, after the result, long after its timeout at 1s.
  auto r = run_text(late_ack_case("3s"));
  INFO(r.out.error);
  CHECK(r.order == rows_t{{"1", "1", "1580000000"}});
  CHECK(r.attempts
        == rows_t{{"1", "0", "3040000000", "timeout", "1000000000", "ack",
                   "0"},
                  {"2", "1540000000", "1580000000", "ack", "NULL", "NULL",
                   "0"}});
}

TEST_CASE("attempts that timed out with no answer say when",
          "[recording][attempts]") {
  // The scenario format's third worked timing: every submit dropped.
  auto r = run_text(R"(name = "every submit dropped"
[executor]
submit_timeout = "500ms"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
[[faults]]
order = "o1"
kind = "drop_request"
)");
  CHECK(r.attempts
        == rows_t{{"1", "0", "NULL", "timeout", "500000000", "NULL", "0"},
                  {"2", "1520000000", "NULL", "timeout", "2020000000", "NULL",
                   "0"},
                  {"3", "4040000000", "NULL", "timeout", "4540000000", "NULL",
                   "0"}});
}
