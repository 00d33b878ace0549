// [exchange] rate_limit (#17): submits and checks over `max` per `per`
// (sliding over arrival times, admitted requests only) are rejected with
// `code`; a rate-limited check is a failed check; the answers carry
// retry_after, which the built-in executor honours with
// honour_retry_after = true. Latency 10ms; backoff 1s x2; 3 attempts.
#include "sim/scenario_writer.hpp"
#include "tests/test_support.hpp"
#include "tests/venue_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

using namespace execsim;
using namespace execsim::testing;

namespace {

/// Orders o1..o<n> at t=0 (keys told apart by quantity).
std::string limited(int n, const std::string& limit,
                    const std::string& executor = "") {
  auto text = fmt::format(R"(name = "rate limit"
[executor]
{}
[exchange]
latency = "10ms"
rate_limit = {}
[exchange.prices]
AAPL = "150.25"
)",
                          executor, limit);
  for (int i = 1; i <= n; ++i)
    text += fmt::format("\n[[orders]]\nid = \"o{}\"\nquantity = {}\n", i,
                        100 * i);
  return text;
}

using lines = std::vector<std::string>;

} // namespace

TEST_CASE("rate_limit: 3 orders at t=0, max 2 per 1s: the third is rejected "
          "and retried after its backoff",
          "[venue][rate_limit]") {
  auto r = run_venue(limited(3, R"({ max = 2, per = "1s" })"));
  CHECK(r.out.pass);
  CHECK(r.rows.violations.empty());
  for (const auto* id : {"o1", "o2"}) {
    CHECK(r.attempts(id) == lines{"1 sent 0s answered 20ms ack"});
    CHECK(r.checks(id).empty());
  }
  // Arrives at 10ms after two admitted at 10ms: rejected. Its check
  // arrives at 30ms, in the same window: a failed check. Backoff 1s from
  // 40ms: attempt 2 arrives at 1050ms, the window (10ms, 1010ms] has passed.
  CHECK(r.attempts("o3")
        == lines{"1 sent 0s answered 20ms rejected RATE_LIMITED",
                 "2 sent 1.04s answered 1.06s ack"});
  CHECK(r.checks("o3") == lines{"after 1 sent 20ms answered 40ms failed"});
  CHECK(r.order("o3").success == true);
  CHECK(r.order("o3").retry_count == 1);
  CHECK(r.order("o3").finished_at_ns == 1'060'000'000);
  CHECK(r.fills("o3") == 1);
  CHECK(r.out.fills == 3);
}

TEST_CASE("rate_limit: a window edge is exclusive: a request arriving "
          "exactly `per` after an admitted one is admitted",
          "[venue][rate_limit]") {
  // Backoff 990ms: attempt 2 sent at 1030ms arrives at 1040ms. per 1030ms:
  // the window of 10ms ends at 1040ms exactly, admitted; per 1030ms + 1ns:
  // still in it, rejected again.
  auto exec = "initial_backoff = \"990ms\"\nmax_attempts = 2";
  auto edge = run_venue(limited(3, R"({ max = 2, per = "1030ms" })", exec));
  CHECK(edge.attempts("o3")
        == lines{"1 sent 0s answered 20ms rejected RATE_LIMITED",
                 "2 sent 1.03s answered 1.05s ack"});
  auto inside =
    run_venue(limited(3, R"({ max = 2, per = "1030000001ns" })", exec));
  CHECK(inside.attempts("o3")
        == lines{"1 sent 0s answered 20ms rejected RATE_LIMITED",
                 "2 sent 1.03s answered 1.05s rejected RATE_LIMITED"});
  CHECK(inside.order("o3").error_code == "RATE_LIMITED");
}

TEST_CASE("rate_limit: honour_retry_after waits until the venue's "
          "retry_after, exactly",
          "[venue][rate_limit]") {
  // per 5s: o3's reject at 10ms says retry_after 5s (answered at 20ms, so
  // not before 5.02s); its check at 30ms says 4.98s (answered at 40ms: 5.02s
  // too).
  const std::string limit = R"({ max = 2, per = "5s" })";
  SECTION("off (the default): three attempts inside the window, a failure") {
    auto r = run_venue(limited(3, limit));
    CHECK(r.attempts("o3")
          == lines{"1 sent 0s answered 20ms rejected RATE_LIMITED",
                   "2 sent 1.04s answered 1.06s rejected RATE_LIMITED",
                   "3 sent 3.08s answered 3.1s rejected RATE_LIMITED"});
    CHECK(r.checks("o3")
          == lines{"after 1 sent 20ms answered 40ms failed",
                   "after 2 sent 1.06s answered 1.08s failed"});
    CHECK(r.order("o3").success == false);
    CHECK(r.order("o3").error_code == "RATE_LIMITED");
    CHECK(r.order("o3").finished_at_ns == 3'100'000'000);
    CHECK(r.fills("o3") == 0);
  }
  SECTION("on: attempt 2 is sent at 5.02s, not at 1.04s") {
    auto r = run_venue(limited(3, limit, "honour_retry_after = true"));
    CHECK(r.out.pass);
    CHECK(r.attempts("o3")
          == lines{"1 sent 0s answered 20ms rejected RATE_LIMITED",
                   "2 sent 5.02s answered 5.04s ack"});
    CHECK(r.order("o3").finished_at_ns == 5'040'000'000);
    CHECK(r.fills("o3") == 1);
  }
  SECTION("on, a fixed retry_after of 3s: from the check's answer, 3.04s") {
    auto r = run_venue(limited(3, R"({ max = 2, per = "1s", retry_after = "3s" })",
                               "honour_retry_after = true"));
    CHECK(r.attempts("o3")
          == lines{"1 sent 0s answered 20ms rejected RATE_LIMITED",
                   "2 sent 3.04s answered 3.06s ack"});
  }
  SECTION("on, retry_after shorter than the backoff: the backoff stands") {
    auto r = run_venue(limited(3, R"({ max = 2, per = "1s", retry_after = "100ms" })",
                               "honour_retry_after = true"));
    CHECK(r.attempts("o3")[1] == "2 sent 1.04s answered 1.06s ack");
  }
}

TEST_CASE("rate_limit: the code is the user's; a fatal one ends the order",
          "[venue][rate_limit]") {
  auto r = run_venue(limited(3, R"({ max = 2, per = "1s", code = "TOO_MANY" })",
                             "fatal_codes = [\"TOO_MANY\"]"));
  CHECK(r.attempts("o3")
        == lines{"1 sent 0s answered 20ms rejected TOO_MANY"});
  CHECK(r.checks("o3").empty());
  CHECK(r.order("o3").error_code == "TOO_MANY");
  CHECK(r.order("o3").finished_at_ns == 20'000'000);
}

TEST_CASE("rate_limit and honour_retry_after: read, kept by the writer, "
          "refused when malformed",
          "[venue][rate_limit][scenario_loader]") {
  auto sc = load_venue(limited(1, R"({ max = 3, per = "2s", code = "SLOW", retry_after = "250ms" })",
                               "honour_retry_after = true"));
  REQUIRE(sc.exchange.rate_limit);
  CHECK(sc.exchange.rate_limit->max == 3);
  CHECK(sc.exchange.rate_limit->per == 2'000'000'000);
  CHECK(sc.exchange.rate_limit->code == "SLOW");
  CHECK(sc.exchange.rate_limit->retry_after == std::optional<ns_t>{250'000'000});
  CHECK(sc.executor.honour_retry_after);
  auto again = load_venue(to_toml(sc, ""));
  REQUIRE(again.exchange.rate_limit);
  CHECK(again.exchange.rate_limit->max == 3);
  CHECK(again.exchange.rate_limit->per == 2'000'000'000);
  CHECK(again.exchange.rate_limit->code == "SLOW");
  CHECK(again.exchange.rate_limit->retry_after == sc.exchange.rate_limit->retry_after);
  CHECK(again.executor.honour_retry_after);
  auto plain = load_venue(limited(1, R"({ max = 1, per = "1s" })"));
  CHECK(plain.exchange.rate_limit->code == "RATE_LIMITED");
  CHECK(!plain.exchange.rate_limit->retry_after);
  CHECK(!plain.executor.honour_retry_after);
  CHECK(!load_venue(to_toml(plain, "")).exchange.rate_limit->retry_after);
}

namespace {

/// Logs every line it gets to got.jsonl; submits once, ends on the answer.
const char* const logging_program = R"(import json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
log = open(os.path.join(here, "got.jsonl"), "w")
for line in sys.stdin:
    log.write(line)
    log.flush()
    m = json.loads(line)
    oid = m.get("order_id")
    acts = []
    if m["type"] == "execute":
        acts = [{"type": "publish", "channel": "order.execution_started"},
                {"type": "submit", "attempt": 1, "idem_key": oid}]
    elif m["type"] == "submit_answer":
        ok = m["status"] == "ack"
        acts = [{"type": "publish", "channel": "order.executed" if ok
                 else "order.execution_failed"},
                {"type": "result", "success": ok, "retry_count": 0,
                 "exchange_order_id": m["exchange_order_id"],
                 "error_code": m["error_code"]}]
    for a in acts:
        a["order_id"] = oid
        print(json.dumps(a))
    print('{"type":"ready"}', flush=True)
)";

} // namespace

TEST_CASE("rate_limit: a process executor gets retry_after_ns with the "
          "reject, and nothing new otherwise",
          "[venue][rate_limit][process]") {
  scratch_dir dir;
  dir.write("prog.py", logging_program);
  auto loaded = load_scenario_file(dir.write("s.toml", R"(name = "process"
[executor]
kind = "process"
command = ["python3", "prog.py"]
[exchange]
rate_limit = { max = 1, per = "1s" }
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
[[orders]]
id = "o2"
)"));
  REQUIRE(loaded.errors.empty());
  auto out = run_scenario(*loaded.value, run_options{});
  INFO(out.error);
  REQUIRE(out.error.empty());
  std::vector<nlohmann::json> answers;
  std::istringstream lines_in{slurp(dir.file("got.jsonl"))};
  for (std::string line; std::getline(lines_in, line);) {
    auto m = nlohmann::json::parse(line);
    if (m.at("type") == "submit_answer")
      answers.push_back(m);
  }
  REQUIRE(answers.size() == 2);
  CHECK(answers[0].at("order_id") == "o1");
  CHECK(answers[0].at("status") == "ack");
  CHECK(!answers[0].contains("retry_after_ns"));
  CHECK(answers[1].at("order_id") == "o2");
  CHECK(answers[1].at("status") == "rejected");
  CHECK(answers[1].at("error_code") == "RATE_LIMITED");
  // o1 was admitted at 10ms, o2 arrived at 10ms: room again at 1.01s.
  CHECK(answers[1].at("retry_after_ns") == 1'000'000'000);
}
