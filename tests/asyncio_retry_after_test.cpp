// retry_after for asyncio code (#17): a submit over `[exchange] rate_limit`
// is rejected with RATE_LIMITED and the venue's retry_after; the harness's
// ExchangeError carries it as `retry_after` (seconds, float), None when the
// reject names no wait. The executor below sleeps that long and resubmits,
// so the resubmit's virtual time shows the value reached the user's code.
// Latency 10ms each way; rate_limit max 1 per 1s.
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>

#include <memory>
#include <string>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

/// Submits up to 3 times; after an ExchangeError sleeps its retry_after,
/// or 0.5 s when it has none. Publishes what each error carried and when.
const std::string retrying_py = R"(import asyncio
from execsim_asyncio import ExchangeError
class E:
    def __init__(self, exchange, bus):
        self.x, self.bus = exchange, bus
    async def execute_order(self, trader, order):
        loop = asyncio.get_running_loop()
        self.bus.publish("order.execution_started", {})
        seen = []
        for attempt in range(3):
            try:
                a = await self.x.submit_order(order, order.id)
            except ExchangeError as e:
                seen.append("{} {!r} at {}".format(e.code, e.retry_after,
                                                   loop.time()))
                wait = e.retry_after if e.retry_after is not None else 0.5
                await asyncio.sleep(wait)
                continue
            self.bus.publish("order.executed", {"seen": seen})
            return dict(success=True, order_id=a.order_id,
                        fill_price=a.fill_price, error="",
                        retry_count=attempt, error_code=None)
        self.bus.publish("order.execution_failed", {"seen": seen})
        return dict(success=False, order_id=None, fill_price=None,
                    error="gave up", retry_count=2, error_code="GAVE_UP")
def make(exchange, bus, config):
    return E(exchange, bus)
)";

struct recorded_run {
  scratch_dir dir;
  run_outcome out;

  explicit recorded_run(const std::string& extra) {
    dir.write("user.py", retrying_py);
    auto loaded = load_scenario_file(dir.write("s.toml", fmt::format(
                                                           R"(name = "retry_after"
seed = 5
[executor]
kind = "asyncio"
factory = "user:make"
final_check = false
[exchange]
latency = "10ms"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
[[orders]]
id = "o2"
{})",
                                                           extra)));
    REQUIRE(loaded.errors.empty());
    std::string err;
    auto db = recording::open(dir.file("r.sqlite"), err);
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

  /// "attempt:sent_at_ns" of the order's attempts.
  std::string attempts(const std::string& order) {
    return sql("SELECT group_concat(attempt || ':' || sent_at_ns, ',') FROM "
               "(SELECT * FROM attempts WHERE order_id = '"
               + order + "' ORDER BY attempt)");
  }

  /// What the order's ExchangeErrors carried, as it published them.
  std::string seen(const std::string& order) {
    return sql("SELECT json_extract(payload, '$.seen') FROM events WHERE "
               "order_id = '"
               + order
               + "' AND channel IN ('order.executed', 'order.execution_failed')");
  }
};

} // namespace

TEST_CASE("asyncio: a rate-limited reject's ExchangeError carries "
          "retry_after; sleeping it resubmits exactly when there is room",
          "[asyncio][rate_limit]") {
  SECTION("retry_after until the window has room: 1 s") {
    // o1 admitted at 10ms; o2 arrives at 10ms, rejected with room again at
    // 1.01s (retry_after 1s), answer back at 20ms; o2 sleeps 1s and
    // resubmits at 1.02s (admitted at 1.03s).
    recorded_run r(R"([exchange.rate_limit]
max = 1
per = "1s"
)");
    INFO(r.out.error);
    CHECK(r.out.pass);
    CHECK(r.attempts("o1") == "1:0");
    CHECK(r.attempts("o2") == "1:0,2:1020000000");
    CHECK(r.seen("o1") == "[]");
    CHECK(r.seen("o2") == R"(["RATE_LIMITED 1.0 at 0.02"])");
  }
  SECTION("a configured retry_after and code: 2.5 s") {
    recorded_run r(R"([exchange.rate_limit]
max = 1
per = "1s"
code = "TOO_MANY_REQUESTS"
retry_after = "2500ms"
)");
    INFO(r.out.error);
    CHECK(r.out.pass);
    CHECK(r.attempts("o2") == "1:0,2:2520000000");
    CHECK(r.seen("o2") == R"(["TOO_MANY_REQUESTS 2.5 at 0.02"])");
  }
  SECTION("a reject that names no wait: retry_after is None") {
    recorded_run r(R"([[faults]]
order = "o2"
attempt = 1
kind = "reject"
code = "RATE_LIMITED"
)");
    INFO(r.out.error);
    CHECK(r.out.pass);
    CHECK(r.attempts("o2") == "1:0,2:520000000");
    CHECK(r.seen("o2") == R"(["RATE_LIMITED None at 0.02"])");
  }
}
