// [executor] kind = "asyncio": the user's unmodified asyncio executor in
// virtual time (python/execsim_asyncio). The original service written in
// plain asyncio passes the 14 behaviours and exploration finds its two
// residual risks; wait_for and asyncio.timeout give exact virtual times;
// every way the user's code can break is a clear error (exit 2).
#include "libexec/explore/explorer.hpp"
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_writer.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <set>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

const std::string source_dir = EXECSIM_SOURCE_DIR;
const std::string examples = source_dir + "/scenarios/examples/asyncio";

/// A one-order scenario (o1, market buy of AAPL at 0s, latency 10ms) with
/// `extra` appended, whose executor is user.py's `make` in `dir`.
std::string scenario_text(const std::string& extra,
                          const std::string& factory = "user:make") {
  return fmt::format(R"(name = "asyncio under test"
seed = 5
[executor]
kind = "asyncio"
factory = "{}"
submit_timeout = "2s"
final_check = false
[exchange]
latency = "10ms"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
timestamp = "t0"
{})",
                     factory, extra);
}

struct asyncio_run {
  scratch_dir dir;
  run_outcome out;
  std::unique_ptr<recording> db;

  /// Runs `toml` with `user_py` beside it as user.py, recorded.
  asyncio_run(const std::string& user_py, const std::string& toml) {
    dir.write("user.py", user_py);
    auto file = dir.write("s.toml", toml);
    auto loaded = load_scenario_file(file);
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
};

/// execute_order returning the original service's result shape.
const std::string result_helpers = R"(
def ok(a, retries=0):
    return dict(success=True, order_id=a.order_id, fill_price=a.fill_price,
                error="", retry_count=retries, error_code=None)

def failed(code, retries=0):
    return dict(success=False, order_id=None, fill_price=None,
                error="failed: " + code, retry_count=retries, error_code=code)
)";

} // namespace

TEST_CASE("the original service in plain asyncio passes the 14 behaviours; "
          "each shipped asyncio scenario gives the same digest twice",
          "[asyncio]") {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(examples))
    if (e.path().extension() == ".toml")
      files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 15); // the 14 behaviours and the exploration
  for (const auto& file : files) {
    auto loaded = load_scenario_file(file);
    REQUIRE(loaded.errors.empty());
    auto a = run_scenario(*loaded.value, run_options{});
    auto b = run_scenario(*loaded.value, run_options{});
    INFO(file << ": " << a.error);
    CHECK(a.pass);
    CHECK(b.pass);
    CHECK(a.digest == b.digest);
  }
}

TEST_CASE("exploring the asyncio original finds both residual risks",
          "[asyncio][explore]") {
  auto loaded = load_scenario_file(examples + "/explore-original.toml");
  REQUIRE(loaded.errors.empty());
  explore_settings s;
  s.seeds = 60;
  s.jobs = 2;
  auto report = explore(*loaded.value, s);
  std::set<std::string> found;
  for (const auto& f : report.failures)
    for (const auto& [name, n] : f.violation_counts)
      found.insert(name);
  CHECK(found.count("one_fill_per_key") == 1);
  CHECK(found.count("result_matches_exchange") == 1);
}

TEST_CASE("asyncio.wait_for around the adapter call times out in virtual "
          "time", "[asyncio]") {
  asyncio_run r(R"(import asyncio, time
class E:
    def __init__(self, exchange, bus):
        self.x, self.bus = exchange, bus
    async def execute_order(self, trader, order):
        loop = asyncio.get_running_loop()
        self.bus.publish("order.execution_started", {})
        for attempt in (1, 2):
            try:
                a = await asyncio.wait_for(self.x.submit_order(order, "K"), 0.3)
                self.bus.publish("order.executed", {"loop": loop.time(),
                    "monotonic": time.monotonic(), "time": time.time()})
                return ok(a, attempt - 1)
            except asyncio.TimeoutError:
                await asyncio.sleep(1)
        return failed("TIMEOUT", 1)
def make(exchange, bus, config):
    return E(exchange, bus)
)" + result_helpers,
                scenario_text(R"([[faults]]
order = "o1"
attempt = 1
kind = "drop_request"
[[expect]]
order = "o1"
success = true
retry_count = 1
submits = 1
finished_at = "1320ms"
)"));
  INFO(r.out.error);
  CHECK(r.out.pass);
  // attempt 1 given up at 300ms (wait_for), attempt 2 after a 1s sleep
  CHECK(r.sql("SELECT group_concat(attempt || ':' || sent_at_ns || ':' || "
              "outcome, ',') FROM (SELECT * FROM attempts ORDER BY attempt)")
        == "1:0:timeout,2:1300000000:ack");
  CHECK(r.sql("SELECT json_extract(payload, '$.loop') || ',' || "
              "json_extract(payload, '$.monotonic') || ',' || "
              "json_extract(payload, '$.time') FROM events "
              "WHERE channel = 'order.executed'")
        == "1.32,1.32,1.32");
}

TEST_CASE("asyncio.timeout and call_later run on the virtual clock",
          "[asyncio]") {
  asyncio_run r(R"(import asyncio
class E:
    def __init__(self, exchange, bus):
        self.x, self.bus = exchange, bus
    async def execute_order(self, trader, order):
        loop = asyncio.get_running_loop()
        await self.bus.publish("order.execution_started", {})
        for attempt in (1, 2):
            try:
                async with asyncio.timeout(0.25):
                    a = await self.x.submit_order(order, "K")
                await self.bus.publish("order.executed", {})
                return ok(a, attempt - 1)
            except TimeoutError:
                later = loop.create_future()
                loop.call_later(0.5, later.set_result, None)
                await later
        return failed("TIMEOUT", 1)
def make(exchange, bus, config):
    return E(exchange, bus)
)" + result_helpers,
                scenario_text(R"([[faults]]
order = "o1"
attempt = 1
kind = "drop_request"
[[expect]]
order = "o1"
success = true
retry_count = 1
submits = 1
finished_at = "770ms"
)"));
  INFO(r.out.error);
  CHECK(r.out.pass);
  CHECK(r.sql("SELECT group_concat(attempt || ':' || sent_at_ns || ':' || "
              "outcome, ',') FROM (SELECT * FROM attempts ORDER BY attempt)")
        == "1:0:timeout,2:750000000:ack");
}

TEST_CASE("every [executor] setting and the seed reach the factory; random "
          "is seeded from the scenario's seed",
          "[asyncio]") {
  asyncio_run r(R"(import random
class E:
    def __init__(self, exchange, bus, c):
        self.x, self.bus, self.c = exchange, bus, c
    async def execute_order(self, trader, order):
        c = self.c
        self.bus.publish("order.execution_started", dict(
            seen="{} {} {} {} {} {} {} {} {} {} {} {}".format(
                c.max_attempts, c.initial_backoff, c.backoff_multiplier,
                c.max_backoff, c.submit_timeout, c.check_timeout, c.jitter,
                ",".join(c.fatal_codes), c.final_check, c.seed, c.factory,
                c.python),
            order="{} {} {} {} {!r} {}".format(order.id, order.trader,
                order.symbol, order.side, order.price, order.timestamp),
            r=repr(random.random())))
        a = await self.x.submit_order(order, "K")
        self.bus.publish("order.executed", {})
        return ok(a)
def make(exchange, bus, config):
    return E(exchange, bus, config)
)" + result_helpers,
                scenario_text(""));
  INFO(r.out.error);
  CHECK(r.out.pass);
  CHECK(r.sql("SELECT json_extract(payload, '$.seen') FROM events WHERE "
              "channel = 'order.execution_started'")
        == "3 1.0 2.0 0.0 2.0 1.0 none INVALID_SYMBOL,UNAUTHORIZED,"
           "INSUFFICIENT_FUNDS,RISK_VIOLATION False 5 user:make python3");
  CHECK(r.sql("SELECT json_extract(payload, '$.order') FROM events WHERE "
              "channel = 'order.execution_started'")
        == "o1 T1 AAPL buy None t0");
  // random.seed(5); random.random()
  CHECK(r.sql("SELECT json_extract(payload, '$.r') FROM events WHERE "
              "channel = 'order.execution_started'")
        == "0.6229016948897019");
}

// ------------------------------------------------------- clear failures

namespace {

/// The user's executor: `body` is execute_order's body (8 spaces indent).
std::string executor_with(const std::string& body) {
  return "import asyncio, time\n"
         "class E:\n"
         "    def __init__(self, exchange, bus):\n"
         "        self.x, self.bus = exchange, bus\n"
         "    async def execute_order(self, trader, order):\n"
         + body
         + "def make(exchange, bus, config):\n"
           "    return E(exchange, bus)\n"
         + result_helpers;
}

/// How every error of user.py's `make` starts.
std::string prefix(const asyncio_run&) {
  return "asyncio executor \"user:make\": ";
}

} // namespace

TEST_CASE("an exception escaping execute_order names the order and shows "
          "the traceback", "[asyncio]") {
  asyncio_run r(executor_with("        await asyncio.sleep(1)\n"
                              "        raise ValueError('boom')\n"),
                scenario_text(""));
  CHECK_FALSE(r.out.pass);
  CHECK(r.out.executor_broken);
  CHECK(r.out.error
        == prefix(r) + "order o1: execute_order raised ValueError: boom\n"
             "    Traceback (most recent call last):\n"
             "      File \"" + r.dir.file("user.py") + "\", line 7, in "
             "execute_order\n"
             "        raise ValueError('boom')\n"
             "    ValueError: boom");
}

TEST_CASE("a result missing a field is a clear error", "[asyncio]") {
  asyncio_run r(executor_with("        return dict(success=True, order_id=None, "
                              "fill_price=None, error='', retry_count=0)\n"),
                scenario_text(""));
  CHECK(r.out.executor_broken);
  CHECK(r.out.error
        == prefix(r) + "order o1: execute_order returned a result without "
             "\"error_code\" (expected an object or dict with success, "
             "order_id, fill_price, error, retry_count, error_code; got "
             "{'success': True, 'order_id': None, 'fill_price': None, "
             "'error': '', 'retry_count': 0})");
}

TEST_CASE("time.sleep in user code is an error naming file and line, even "
          "when the code catches it", "[asyncio]") {
  asyncio_run r(executor_with("        try:\n"
                              "            time.sleep(0.5)\n"
                              "        except Exception:\n"
                              "            pass\n"
                              "        return failed('X')\n"),
                scenario_text(""));
  CHECK(r.out.executor_broken);
  CHECK(r.out.error
        == prefix(r) + "order o1: time.sleep(0.5) called at "
             + r.dir.file("user.py") + ":7 in execute_order: it would block "
             "the whole event loop in real time; use `await "
             "asyncio.sleep(...)`");
}

TEST_CASE("a virtual-time deadlock names the order and what it awaits",
          "[asyncio]") {
  asyncio_run r(executor_with("        await self.x.submit_order(order, 'K')\n"
                              "        await asyncio.Event().wait()\n"),
                scenario_text(""));
  CHECK(r.out.executor_broken);
  CHECK(r.out.error
        == prefix(r) + "order o1: deadlock in virtual time at 20000000 ns: "
             "execute_order waits on something that can never happen (no "
             "timer scheduled, no exchange call outstanding): it awaits "
             "Event.wait at " + r.dir.file("user.py") + ":7 in "
             "execute_order");
}

TEST_CASE("a factory that cannot be imported or called is a clear error",
          "[asyncio]") {
  SECTION("no such module") {
    asyncio_run r("", scenario_text("", "no_such_module:make"));
    CHECK(r.out.executor_broken);
    CHECK(r.out.error
          == "asyncio executor \"no_such_module:make\": factory "
             "\"no_such_module:make\": no module named \"no_such_module\" "
             "(looked beside the scenario in " + r.dir.path()
             + ", then on PYTHONPATH)");
  }
  SECTION("no such callable") {
    asyncio_run r("x = 1\n", scenario_text("", "user:make"));
    CHECK(r.out.executor_broken);
    CHECK(r.out.error
          == prefix(r) + "factory \"user:make\": module \"user\" ("
               + r.dir.file("user.py") + ") has no \"make\"");
  }
  SECTION("not callable") {
    asyncio_run r("make = 42\n", scenario_text("", "user:make"));
    CHECK(r.out.executor_broken);
    CHECK(r.out.error
          == prefix(r) + "factory \"user:make\" is not callable (it is int "
               "42)");
  }
  SECTION("the factory raises") {
    asyncio_run r("def make(exchange, bus, config):\n"
                  "    raise KeyError('venue')\n",
                  scenario_text("", "user:make"));
    CHECK(r.out.executor_broken);
    CHECK(r.out.error
          == prefix(r) + "factory \"user:make\" raised KeyError: 'venue'\n"
               "    Traceback (most recent call last):\n"
               "      File \"" + r.dir.file("user.py") + "\", line 2, in make\n"
               "        raise KeyError('venue')\n"
               "    KeyError: 'venue'");
  }
}

TEST_CASE("the scenario file checks factory and python", "[asyncio]") {
  auto errors = [](const std::string& executor) {
    auto r = load_scenario_text("name = \"x\"\n[executor]\n" + executor
                                  + "[[orders]]\nid = \"o1\"\n",
                                "x.toml");
    std::string all;
    for (const auto& e : r.errors)
      all += e.to_string() + "\n";
    return all;
  };
  CHECK(errors("kind = \"asyncio\"\n")
        == "x.toml:2:1: executor: missing required key \"factory\" for kind "
           "\"asyncio\"\n");
  CHECK(errors("kind = \"asyncio\"\nfactory = \"mod\"\n")
        == "x.toml:4:11: executor.factory: \"mod\" is not "
           "\"module:callable\" (e.g. \"my_adapter:make_executor\")\n");
  CHECK(errors("factory = \"m:f\"\npython = \"python3\"\n")
        == "x.toml:3:11: executor.factory: only used with kind = \"asyncio\" "
           "(kind is \"builtin\")\n"
           "x.toml:4:10: executor.python: only used with kind = \"asyncio\" "
           "(kind is \"builtin\")\n");
}

TEST_CASE("execsim run --executor asyncio:module:callable runs a file with "
          "that executor; a broken one exits 2",
          "[asyncio][cli]") {
  scratch_dir dir;
  dir.write("user.py",
            executor_with("        self.bus.publish('order.execution_started')\n"
                          "        a = await self.x.submit_order(order, 'K')\n"
                          "        self.bus.publish('order.executed')\n"
                          "        return ok(a)\n"));
  dir.write("broken.py", "make = 42\n");
  dir.write("s.toml", R"(name = "plain file"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
[[expect]]
order = "o1"
success = true
finished_at = "20ms"
)");
  auto run = [&](const std::string& executor) {
    auto cmd = fmt::format("cd {0} && {1} run s.toml --executor {2} --db "
                           "{0}/r.sqlite > {0}/out.txt 2>&1",
                           dir.path(), EXECSIM_BINARY, executor);
    auto status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
  };
  CHECK(run("asyncio:user:make") == 0);
  CHECK(run("asyncio:broken:make") == 2);
  CHECK(slurp(dir.file("out.txt")).find("factory \"broken:make\" is not "
                                        "callable (it is int 42)")
        != std::string::npos);
}

TEST_CASE("a scenario written elsewhere (a shrunk minimal file) still finds "
          "the factory's module", "[asyncio]") {
  scratch_dir dir;
  dir.write("user.py",
            executor_with("        self.bus.publish('order.execution_started')\n"
                          "        a = await self.x.submit_order(order, 'K')\n"
                          "        self.bus.publish('order.executed')\n"
                          "        return ok(a)\n"));
  auto loaded = load_scenario_file(dir.write("s.toml", scenario_text("")));
  REQUIRE(loaded.value);
  auto text = to_toml(*loaded.value);
  CHECK(text.find("executor.factory = \"" + dir.path() + "/user:make\"")
        != std::string::npos);
  scratch_dir elsewhere;
  auto moved = load_scenario_file(elsewhere.write("min.toml", text));
  REQUIRE(moved.errors.empty());
  auto out = run_scenario(*moved.value, run_options{});
  INFO(out.error);
  CHECK(out.pass);
}

TEST_CASE("an exception in a callback of the order's loop stops the run",
          "[asyncio]") {
  asyncio_run r(executor_with("        asyncio.get_running_loop().call_soon("
                              "lambda: 1 / 0)\n"
                              "        await asyncio.sleep(1)\n"),
                scenario_text(""));
  CHECK(r.out.executor_broken);
  auto file = r.dir.file("user.py");
  CHECK(r.out.error
        == prefix(r) + "order o1: Exception in callback "
             "E.execute_order.<locals>.<lambda>() at " + file + ":6\n"
             "    Traceback (most recent call last):\n"
             "      File \"" + file + "\", line 6, in <lambda>\n"
             "        asyncio.get_running_loop().call_soon(lambda: 1 / 0)\n"
             "    ZeroDivisionError: division by zero");
}

TEST_CASE("an order whose code wakes another order's task stops the run "
          "(all orders share one event loop, each runs only in its own "
          "messages)",
          "[asyncio]") {
  // o1 waits on an Event o2 sets at 0.1 s: o2's code would run o1's task
  // during o2's message.
  asyncio_run r(R"(import asyncio
EV = None
class E:
    async def execute_order(self, trader, order):
        global EV
        if order.id == "o1":
            EV = asyncio.Event()
            await asyncio.wait_for(EV.wait(), 5)
        else:
            await asyncio.sleep(0.1)
            EV.set()
        return dict(success=False, order_id=None, fill_price=None,
                    error="x", retry_count=0, error_code="X")
def make(exchange, bus, config):
    return E()
)",
                scenario_text("[[orders]]\nid = \"o2\"\n"));
  CHECK(r.out.executor_broken);
  CHECK(r.out.error
        == prefix(r) + "order o2: its code woke a task of order o1 (an "
             "asyncio object shared by the two orders): orders cannot await "
             "each other's asyncio objects, each order's code runs only "
             "while execsim handles that order");
}
