// A process executor gets every [executor] setting and the run's seed in
// `config`, and can cancel a timer (`cancel_timer`): a cancelled timer
// never fires, cancelling an unknown or fired one does nothing, a timer set
// again under a cancelled id fires. The C++ port's cancel_timer the same.
#include "actors/executor/executor_api.hpp"
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The trace lines that deliver a timer to the executor of o1.
std::vector<std::string> timer_lines(const run_outcome& out) {
  std::vector<std::string> lines;
  for (const auto& l : out.trace)
    if (has(l, " timer 0x"))
      lines.push_back(l);
  return lines;
}

/// A program that writes the `config` of o1's execute message to
/// config.json beside it and ends the order at once.
const char* config_program = R"(import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if m["type"] == "execute":
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "config.json"), "w") as f:
            json.dump(m["config"], f)
        oid = m["order_id"]
        for a in ({"type": "publish", "channel": "order.execution_started"},
                  {"type": "publish", "channel": "order.execution_failed"},
                  {"type": "result", "success": False, "retry_count": 0,
                   "error_code": "DONE"}):
            a["order_id"] = oid
            print(json.dumps(a))
    print('{"type":"ready"}', flush=True)
)";

/// Timers: 7 at 1s and 8 at 100ms. At 100ms (timer 8) it cancels 7, an
/// unknown 99, sets 7 again for 600ms. At 600ms (timer 7) it cancels the
/// fired 8 and sets 9 for 2.1s, where the order ends. A second timer 7
/// (the cancelled one, at 1s) ends the order at once with "FIRED".
const char* timer_program = R"(import json, sys
sevens = 0
def act(oid, **a):
    a["order_id"] = oid
    print(json.dumps(a))
for line in sys.stdin:
    m = json.loads(line)
    t, oid = m["type"], m.get("order_id")
    if t == "execute":
        act(oid, type="publish", channel="order.execution_started")
        act(oid, type="set_timer", id=7, after_ns=1000000000)
        act(oid, type="set_timer", id=8, after_ns=100000000)
    elif t == "timer" and m["id"] == 8:
        act(oid, type="cancel_timer", id=7)
        act(oid, type="cancel_timer", id=99)
        act(oid, type="set_timer", id=7, after_ns=500000000)
    elif t == "timer" and m["id"] == 7:
        sevens += 1
        if sevens == 1:
            act(oid, type="cancel_timer", id=8)
            act(oid, type="set_timer", id=9, after_ns=1500000000)
        else:
            act(oid, type="publish", channel="order.execution_failed")
            act(oid, type="result", success=False, retry_count=0,
                error_code="FIRED")
    elif t == "timer" and m["id"] == 9:
        act(oid, type="publish", channel="order.execution_failed")
        act(oid, type="result", success=False, retry_count=0,
            error_code="DONE")
    print('{"type":"ready"}', flush=True)
)";

scenario process_scenario(const scratch_dir& dir, const std::string& program,
                          const std::string& executor_extra) {
  dir.write("prog.py", program);
  auto text = fmt::format(R"(name = "timers and config"
seed = 42
[executor]
kind = "process"
command = ["python3", "prog.py"]
{}
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)",
                          executor_extra);
  auto r = load_scenario_file(dir.write("s.toml", text));
  REQUIRE(r.errors.empty());
  return *r.value;
}

/// C++: timers 1 at 1s and 2 at 100ms; at 100ms cancel 1 (and unknown 5),
/// set 3 for 2.1s; timer 1 firing ends the order with "FIRED".
class cancelling_logic final : public executor_logic {
public:
  explicit cancelling_logic(executor_port& port) : port_(port) {
  }
  void on_execute() override {
    port_.publish(event_channel::execution_started, "{}");
    port_.set_timer(1, 1'000'000'000);
    port_.set_timer(2, 100'000'000);
  }
  void on_submit_answer(const submit_answer&) override {
  }
  void on_check_answer(const check_answer&) override {
  }
  void on_timer(std::uint64_t id) override {
    if (id == 2) {
      port_.cancel_timer(1);
      port_.cancel_timer(5);
      port_.set_timer(3, 2'000'000'000);
      return;
    }
    execution_result r;
    r.error_code = id == 1 ? "FIRED" : "DONE";
    port_.publish(event_channel::execution_failed, "{}");
    port_.finish(r);
  }

private:
  executor_port& port_;
};

} // namespace

TEST_CASE("a process executor's config carries every [executor] setting "
          "and the run's seed",
          "[process][protocol]") {
  scratch_dir dir;
  auto sc = process_scenario(dir, config_program, R"(max_attempts = 5
initial_backoff = "250ms"
backoff_multiplier = 3.0
max_backoff = "7s"
jitter = "full"
submit_timeout = "800ms"
check_timeout = "300ms"
fatal_codes = ["NOPE"]
final_check = false
honour_retry_after = true)");
  SECTION("the file's seed") {
    auto out = run_scenario(sc, run_options{});
    INFO(out.error);
    REQUIRE(out.error.empty());
    auto config = nlohmann::json::parse(slurp(dir.file("config.json")));
    CHECK(config
          == nlohmann::json{{"kind", "process"},
                            {"command", {"python3", "prog.py"}},
                            {"max_attempts", 5},
                            {"initial_backoff_ns", 250'000'000},
                            {"backoff_multiplier", 3.0},
                            {"max_backoff_ns", 7'000'000'000},
                            {"jitter", "full"},
                            {"submit_timeout_ns", 800'000'000},
                            {"check_timeout_ns", 300'000'000},
                            {"fatal_codes", {"NOPE"}},
                            {"final_check", false},
                            {"honour_retry_after", true},
                            {"seed", 42}});
  }
  SECTION("--seed overrides it") {
    run_options opt;
    opt.seed = 9'223'372'036'854'775'807ULL;
    auto out = run_scenario(sc, opt);
    REQUIRE(out.error.empty());
    auto config = nlohmann::json::parse(slurp(dir.file("config.json")));
    CHECK(config.at("seed").get<std::uint64_t>()
          == 9'223'372'036'854'775'807ULL);
  }
}

TEST_CASE("a cancelled timer of a process executor never fires",
          "[process][protocol][timer]") {
  scratch_dir dir;
  auto out = run_scenario(process_scenario(dir, timer_program, ""),
                          run_options{});
  INFO(out.error);
  REQUIRE(out.error.empty());
  CHECK(out.pass);
  // The order ends at 2.1s by timer 9, not at 1s by the cancelled 7.
  CHECK(out.virtual_end == 2'100'000'000);
  auto timers = timer_lines(out);
  CHECK(timers
        == std::vector<std::string>{
          "100000000 executor/o1 -> executor/o1: timer 0x8",
          "600000000 executor/o1 -> executor/o1: timer 0x7",
          "2100000000 executor/o1 -> executor/o1: timer 0x9"});
}

TEST_CASE("cancel_timer: a bad id is an invalid line", "[process][protocol]") {
  scratch_dir dir;
  auto out = run_scenario(
    process_scenario(dir,
                     R"(import sys
for line in sys.stdin:
    print('{"type":"cancel_timer","order_id":"o1","id":-1}')
    print('{"type":"ready"}', flush=True)
)",
                     ""),
    run_options{});
  CHECK(out.executor_broken);
  CHECK(has(out.error, "sent an invalid line while handling execute o1: "
                       "cancel_timer: \"id\" must be "));
}

TEST_CASE("a cancelled timer of a C++ executor never fires",
          "[process][port][timer]") {
  register_executor("cancelling_timers", [](executor_port& port) {
    return std::make_unique<cancelling_logic>(port);
  });
  auto r = load_scenario_text(R"(name = "C++ cancel_timer"
[executor]
kind = "cancelling_timers"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)",
                              "cpp.toml");
  REQUIRE(r.errors.empty());
  auto out = run_scenario(*r.value, run_options{});
  INFO(out.error);
  REQUIRE(out.error.empty());
  CHECK(out.pass);
  CHECK(out.virtual_end == 2'100'000'000);
  auto timers = timer_lines(out);
  CHECK(timers
        == std::vector<std::string>{
          "100000000 executor/o1 -> executor/o1: timer 0x2",
          "2100000000 executor/o1 -> executor/o1: timer 0x3"});
}
