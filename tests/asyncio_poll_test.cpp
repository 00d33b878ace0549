// Polling (#16): unmodified asyncio code calls
// `exchange.get_order_by_idempotent_key(key)` whenever it likes, e.g. right
// after an acknowledged submit to confirm the order. The harness sends such
// a call as a check with "poll": true: it goes to the simulated exchange
// (latency and check faults apply) and is recorded as a check. A process
// program's check without "poll" after an ack is still refused (the port's
// rule "a check only after a failed attempt", #14).
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>

#include <memory>
#include <utility>
#include <vector>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

const std::string source_dir = EXECSIM_SOURCE_DIR;

/// A one-order scenario (o1, market buy of AAPL at 0s, latency 10ms) run by
/// `executor` (TOML lines of [executor]), with `extra` appended.
std::string scenario_toml(const std::string& executor, const std::string& extra) {
  return fmt::format(R"(name = "polling"
seed = 5
[executor]
{}
final_check = false
[exchange]
latency = "10ms"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
timestamp = "t0"
{})",
                     executor, extra);
}

struct recorded_run {
  scratch_dir dir;
  std::unique_ptr<recording> db;
  run_outcome out;

  /// Runs `toml` recorded, with `files` (name, text) beside it.
  recorded_run(const std::vector<std::pair<std::string, std::string>>& files,
               const std::string& toml) {
    for (const auto& [name, text] : files)
      dir.write(name, text);
    auto loaded = load_scenario_file(dir.write("s.toml", toml));
    REQUIRE(loaded.errors.empty());
    std::string err;
    db = recording::open(dir.file("r.sqlite"), err);
    REQUIRE(db);
    run_options opt;
    opt.db = db.get();
    out = run_scenario(*loaded.value, opt);
  }

  std::string sql(const std::string& query) {
    raw_db raw(dir.file("r.sqlite"));
    auto rows = raw.rows(query);
    return rows.empty() || rows[0].empty() ? "" : rows[0][0];
  }

  std::string checks() {
    return sql("SELECT group_concat(after_attempt || ':' || sent_at_ns || ':' "
               "|| coalesce(answered_at_ns, '-') || ':' || outcome || ':' || "
               "coalesce(exchange_order_id, '-'), ',') FROM duplicate_checks");
  }
};

/// Submits, then confirms the acknowledged order with a poll; the result
/// carries what the poll said.
const std::string polling_py = R"(import asyncio
class E:
    def __init__(self, exchange, bus):
        self.x, self.bus = exchange, bus
    async def execute_order(self, trader, order):
        self.bus.publish("order.execution_started", {})
        a = await self.x.submit_order(order, "K")
        try:
            seen = await self.x.get_order_by_idempotent_key("K")
            note = "found" if seen is not None else "missing"
        except Exception as e:
            note = type(e).__name__ + " " + str(e)
        self.bus.publish("order.executed", {"poll": note,
            "at": asyncio.get_running_loop().time()})
        return dict(success=True, order_id=a.order_id,
                    fill_price=a.fill_price, error="", retry_count=0,
                    error_code=None)
def make(exchange, bus, config):
    return E(exchange, bus)
)";

const std::string asyncio_executor = R"(kind = "asyncio"
factory = "user:make")";

std::string poll_note(recorded_run& r) {
  return r.sql("SELECT json_extract(payload, '$.poll') || ' at ' || "
               "json_extract(payload, '$.at') FROM events WHERE channel = "
               "'order.executed'");
}

} // namespace

TEST_CASE("an asyncio executor polls after an ack: the check goes to the "
          "exchange and finds the order",
          "[asyncio][poll]") {
  recorded_run r({{"user.py", polling_py}},
                 scenario_toml(asyncio_executor, R"([[expect]]
order = "o1"
success = true
submits = 1
fills = 1
finished_at = "40ms"
)"));
  INFO(r.out.error);
  CHECK(r.out.pass);
  // ack at 20ms, the poll's round trip 20ms -> 40ms
  CHECK(r.checks() == "1:20000000:40000000:found:X-1");
  CHECK(poll_note(r) == "found at 0.04");
}

TEST_CASE("check faults apply to a poll", "[asyncio][poll]") {
  SECTION("check_fail: the poll raises the check's error") {
    recorded_run r({{"user.py", polling_py}},
                   scenario_toml(asyncio_executor, R"([[faults]]
order = "o1"
attempt = 1
kind = "check_fail"
)"));
    INFO(r.out.error);
    CHECK(r.out.pass);
    CHECK(r.checks() == "1:20000000:40000000:failed:-");
    CHECK(poll_note(r)
          == "ExchangeError CHECK_FAILED: the duplicate check failed at 0.04");
    CHECK(r.sql("SELECT kind || ':' || attempt FROM faults")
          == "check_fail:1");
  }
  SECTION("check_drop: the poll times out after check_timeout") {
    recorded_run r({{"user.py", polling_py}},
                   scenario_toml(asyncio_executor + "\ncheck_timeout = \"300ms\"",
                            R"([[faults]]
order = "o1"
attempt = 1
kind = "check_drop"
)"));
    INFO(r.out.error);
    CHECK(r.out.pass);
    CHECK(r.checks() == "1:20000000:-:timeout:-");
    CHECK(poll_note(r)
          == "TimeoutError no answer to the duplicate check within 300ms at "
             "0.32");
  }
}

/// Looks for the order before placing it (as code that may have placed it
/// before a restart does), then submits; the result says what it saw.
const std::string look_first_py = R"(import asyncio
class E:
    def __init__(self, exchange, bus):
        self.x, self.bus = exchange, bus
    async def execute_order(self, trader, order):
        self.bus.publish("order.execution_started", {})
        try:
            seen = await self.x.get_order_by_idempotent_key("K")
            note = "found" if seen is not None else "missing"
        except Exception as e:
            seen, note = None, type(e).__name__
        if seen is not None:
            return dict(success=True, order_id=seen.order_id,
                        fill_price=seen.fill_price, error="", retry_count=0,
                        error_code=None)
        a = await self.x.submit_order(order, "K")
        self.bus.publish("order.executed", {"poll": note,
            "at": asyncio.get_running_loop().time()})
        return dict(success=True, order_id=a.order_id,
                    fill_price=a.fill_price, error="", retry_count=0,
                    error_code=None)
def make(exchange, bus, config):
    return E(exchange, bus)
)";

TEST_CASE("an asyncio executor looks for its order before the first submit: "
          "a check after attempt 0",
          "[asyncio][poll]") {
  SECTION("not found: the order is submitted when the answer is back") {
    recorded_run r({{"user.py", look_first_py}},
                   scenario_toml(asyncio_executor, R"([[expect]]
order = "o1"
success = true
submits = 1
fills = 1
finished_at = "40ms"
)"));
    INFO(r.out.error);
    CHECK(r.out.pass);
    // the poll's round trip 0 -> 20ms, then the submit 20ms -> 40ms
    CHECK(r.checks() == "0:0:20000000:not_found:-");
    CHECK(r.sql("SELECT attempt || ':' || sent_at_ns FROM attempts")
          == "1:20000000");
    CHECK(poll_note(r) == "missing at 0.04");
  }
  SECTION("check faults apply to it by after_attempt 0") {
    recorded_run r({{"user.py", look_first_py}},
                   scenario_toml(asyncio_executor, R"([[faults]]
order = "o1"
attempt = 0
kind = "check_fail"
)"));
    INFO(r.out.error);
    CHECK(r.out.pass);
    CHECK(r.checks() == "0:0:20000000:failed:-");
    CHECK(r.sql("SELECT kind || ':' || attempt FROM faults")
          == "check_fail:0");
    CHECK(poll_note(r) == "ExchangeError at 0.04");
  }
}

TEST_CASE("a process program's check after an ack: refused without poll, "
          "carried out with \"poll\": true",
          "[process][protocol][poll]") {
  auto script = [](const std::string& poll) {
    return R"({"type":"publish","order_id":"o1","channel":"order.execution_started","payload":{}}
{"type":"submit","order_id":"o1","attempt":1,"idem_key":"k1"}
---
{"type":"check","order_id":"o1","after_attempt":1,"idem_key":"k1")"
           + poll + R"(}
---
{"type":"publish","order_id":"o1","channel":"order.executed","payload":{}}
{"type":"result","order_id":"o1","success":true,"retry_count":0,"exchange_order_id":"X-1","fill_price":"150.25","error":"","error_code":""}
)";
  };
  auto program = fmt::format(
    "kind = \"process\"\ncommand = [\"python3\", "
    "\"{}/tests/programs/scripted.py\", \"script.txt\"]",
    source_dir);
  SECTION("poll: a check in the recording, answered 20ms later") {
    recorded_run r({{"script.txt", script(R"(,"poll":true)")}},
                   scenario_toml(program, ""));
    INFO(r.out.error);
    CHECK(r.out.pass);
    CHECK(r.checks() == "1:20000000:40000000:found:X-1");
  }
  SECTION("no poll: the rule of #14 stands") {
    recorded_run r({{"script.txt", script("")}}, scenario_toml(program, ""));
    CHECK(r.out.executor_broken);
    CHECK(r.out.error.find("while handling submit_answer o1 attempt 1: "
                           "check: attempt 1 has not failed: the exchange "
                           "acknowledged it")
          != std::string::npos);
  }
  SECTION("a check without poll before attempt 1 is refused") {
    recorded_run r({{"script.txt", R"({"type":"check","order_id":"o1","after_attempt":0,"idem_key":"k1"}
)"}},
                   scenario_toml(program, ""));
    CHECK(r.out.executor_broken);
    CHECK(r.out.error.find("check: after_attempt 0 is out of range 1..1000 "
                           "(only a poll may come before attempt 1)")
          != std::string::npos);
  }
  SECTION("poll that is not a boolean") {
    recorded_run r({{"script.txt", script(R"(,"poll":"yes")")}},
                   scenario_toml(program, ""));
    CHECK(r.out.executor_broken);
    CHECK(r.out.error.find("check: \"poll\" must be true or false (got "
                           "\"yes\")")
          != std::string::npos);
  }
}
