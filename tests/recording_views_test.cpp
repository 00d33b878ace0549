// The views of schema version 3, on a run of the builtin executor (#15):
// execution_log shows STATUS_UNKNOWN as UNKNOWN, not FAILED; "recovered"
// means one thing, the contract's (a success after at least one failed
// attempt: the order.recovered event), in execution_log and
// recovered_orders alike; the orders a duplicate check found are
// found_by_check.
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"

#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

using rows_t = std::vector<std::vector<std::string>>;

// Latency 20ms, submit timeout 1s, check timeout 500ms, 2 attempts; the
// quantities keep the idempotency keys apart.
// o1: every ack and check answer lost: attempt 2 at 2s, its final check
// times out at 3.5s: STATUS_UNKNOWN. o2: a fatal reject:
// FAILED. o3: ack lost, the check finds X-2: recovered, found by a check.
// o4: request lost, the check finds nothing, attempt 2 fills: recovered,
// not found by a check. o5: filled at once.
constexpr const char* five_orders = R"(name = "five endings"
[executor]
max_attempts = 2
submit_timeout = "1s"
check_timeout = "500ms"
initial_backoff = "500ms"
[exchange]
latency = "20ms"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
quantity = 1
[[orders]]
id = "o2"
quantity = 2
[[orders]]
id = "o3"
quantity = 3
[[orders]]
id = "o4"
quantity = 4
[[orders]]
id = "o5"
quantity = 5
[[faults]]
order = "o1"
kind = "drop_ack"
[[faults]]
order = "o1"
kind = "check_drop"
[[faults]]
order = "o2"
kind = "reject"
code = "INVALID_SYMBOL"
[[faults]]
order = "o3"
attempt = 1
kind = "drop_ack"
[[faults]]
order = "o4"
attempt = 1
kind = "drop_request"
)";

} // namespace

TEST_CASE("execution_log, recovered_orders and found_by_check of a run",
          "[recording][views]") {
  auto loaded = load_scenario_text(five_orders, "views.toml");
  REQUIRE(loaded.errors.empty());
  scratch_dir dir;
  std::string error;
  auto rec = recording::open(dir.file("r.sqlite"), error);
  REQUIRE(rec);
  run_options opt;
  opt.db = rec.get();
  auto out = run_scenario(*loaded.value, opt);
  INFO(out.error);
  REQUIRE(out.error.empty());
  raw_db db{dir.file("r.sqlite")};
  CHECK(db.rows("SELECT order_id, success, error_code FROM orders"
                " ORDER BY order_id")
        == rows_t{{"o1", "0", "STATUS_UNKNOWN"},
                  {"o2", "0", "INVALID_SYMBOL"},
                  {"o3", "1", "NULL"},
                  {"o4", "1", "NULL"},
                  {"o5", "1", "NULL"}});

  SECTION("execution_log: UNKNOWN is its own action") {
    CHECK(db.rows("SELECT order_id, action, at_ns FROM execution_log"
                  " ORDER BY order_id, at_ns, action")
          == rows_t{{"o1", "UNKNOWN", "3500000000"},
                    {"o2", "FAILED", "40000000"},
                    {"o3", "EXECUTED", "1040000000"},
                    {"o3", "RECOVERED", "1040000000"},
                    {"o4", "EXECUTED", "1580000000"},
                    {"o4", "RECOVERED", "1580000000"},
                    {"o5", "EXECUTED", "40000000"}});
  }

  SECTION("recovered_orders: the orders execution_log shows RECOVERED") {
    CHECK(db.rows("SELECT order_id, exchange_order_id, retry_count,"
                  " finished_at_ns, found_after_attempt, found_checks,"
                  " recovered_at_ns FROM recovered_orders ORDER BY order_id")
          == rows_t{{"o3", "X-2", "0", "1040000000", "1", "1", "1040000000"},
                    {"o4", "X-4", "1", "1580000000", "NULL", "0",
                     "1580000000"}});
    CHECK(db.rows("SELECT order_id FROM recovered_orders ORDER BY order_id")
          == db.rows("SELECT DISTINCT order_id FROM execution_log"
                     " WHERE action = 'RECOVERED' ORDER BY order_id"));
  }

  SECTION("found_by_check: successes a duplicate check found") {
    CHECK(db.rows("SELECT order_id, exchange_order_id, retry_count,"
                  " finished_at_ns, found_after_attempt, found_checks"
                  " FROM found_by_check ORDER BY order_id")
          == rows_t{{"o3", "X-2", "0", "1040000000", "1", "1"}});
  }
}
