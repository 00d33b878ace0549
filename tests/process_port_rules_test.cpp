// The port's rules hold for C++ executors as for programs (#14): a C++
// executor_logic that calls submit(0) or times out attempt 40 stops the run
// with an error naming the executor, the order and the call, instead of
// writing out of bounds; finishing twice is the `terminal` invariant's. And the protocol-line parser on
// its own: nulls, blanks, ranges.
#include "actors/executor/executor_api.hpp"
#include "actors/process/protocol_line.hpp"
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <functional>
#include <memory>

using namespace execsim;

namespace {

/// An executor that does `act` on execute and nothing else.
class scripted_logic final : public executor_logic {
public:
  scripted_logic(executor_port& port,
                 std::function<void(executor_port&)> act)
    : port_(port), act_(std::move(act)) {
  }
  void on_execute() override {
    act_(port_);
  }
  void on_submit_answer(const submit_answer&) override {
  }
  void on_check_answer(const check_answer&) override {
  }
  void on_timer(std::uint64_t) override {
  }

private:
  executor_port& port_;
  std::function<void(executor_port&)> act_;
};

run_outcome run_with(const std::string& kind,
                     std::function<void(executor_port&)> act) {
  register_executor(kind, [act](executor_port& port) {
    return std::make_unique<scripted_logic>(port, act);
  });
  auto r = load_scenario_text(fmt::format(R"(name = "C++ executor"
[executor]
kind = "{}"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)",
                                          kind),
                              "cpp.toml");
  REQUIRE(r.errors.empty());
  return run_scenario(*r.value, run_options{});
}

execution_result ok_result() {
  execution_result r;
  r.success = true;
  return r;
}

} // namespace

TEST_CASE("a C++ executor breaking the port's rules is an error naming it, "
          "the order and the call",
          "[process][port]") {
  SECTION("submit(0)") {
    auto out = run_with("rules_submit_0",
                        [](executor_port& p) { p.submit(0, "k"); });
    CHECK(out.executor_broken);
    CHECK(out.error == "executor \"rules_submit_0\" made an invalid call for "
                       "order o1: submit(0, \"k\"): attempt 0 is out of range "
                       "1..1000");
  }
  SECTION("check(0): only a poll may come before attempt 1") {
    auto out = run_with("rules_check_0",
                        [](executor_port& p) { p.check(0, "k"); });
    CHECK(out.executor_broken);
    CHECK(out.error == "executor \"rules_check_0\" made an invalid call for "
                       "order o1: check(0, \"k\"): after_attempt 0 is out of "
                       "range 1..1000 (only a poll may come before attempt "
                       "1)");
  }
  SECTION("attempt_timed_out(40) after one attempt") {
    auto out = run_with("rules_timed_out_40", [](executor_port& p) {
      p.submit(1, "k");
      p.attempt_timed_out(40);
    });
    CHECK(out.executor_broken);
    CHECK(out.error == "executor \"rules_timed_out_40\" made an invalid call "
                       "for order o1: attempt_timed_out(40): attempt 40 was "
                       "never sent (1 sent so far)");
  }
  SECTION("finish twice") {
    auto out = run_with("rules_finish_twice", [](executor_port& p) {
      p.finish(ok_result());
      p.finish(ok_result());
    });
    // Not a broken executor: the `terminal` invariant's finding.
    CHECK_FALSE(out.executor_broken);
    CHECK_FALSE(out.pass);
    REQUIRE(out.violations.size() == 1);
    CHECK(out.violations[0].invariant == "terminal");
    CHECK(out.violations[0].detail == "the order got 2 results");
  }
  SECTION("a negative timer") {
    auto out = run_with("rules_timer_negative",
                        [](executor_port& p) { p.set_timer(7, -5); });
    CHECK(out.executor_broken);
    CHECK(out.error == "executor \"rules_timer_negative\" made an invalid "
                       "call for order o1: set_timer(7, -5): after_ns -5 is "
                       "negative");
  }
  SECTION("check_timed_out without a check") {
    auto out = run_with("rules_check_timed_out",
                        [](executor_port& p) { p.check_timed_out(1); });
    CHECK(out.executor_broken);
    CHECK(out.error == "executor \"rules_check_timed_out\" made an invalid "
                       "call for order o1: check_timed_out(1): no check after "
                       "attempt 1 was sent");
  }
}

TEST_CASE("a protocol line on its own", "[process][protocol]") {
  std::string error;
  SECTION("null and absent optional fields of a result are empty") {
    auto l = parse_protocol_line(
      R"({"type":"result","order_id":"o1","success":false,"retry_count":2,"exchange_order_id":null,"fill_price":null,"error":null})",
      error);
    REQUIRE(l);
    CHECK(l->what == protocol_line::kind::action);
    CHECK(l->action.what == port_action::kind::finish);
    CHECK(l->action.result.exchange_order == 0);
    CHECK_FALSE(l->action.result.fill_price);
    CHECK(l->action.result.error.empty());
    CHECK(l->action.result.error_code.empty());
    CHECK(l->action.result.retry_count == 2);
  }
  SECTION("a result with every field") {
    auto l = parse_protocol_line(
      R"({"type":"result","order_id":"o1","success":true,"retry_count":1,"exchange_order_id":"X-12","fill_price":"150.25","error":"","error_code":"","mine":[1]})",
      error);
    REQUIRE(l);
    CHECK(l->action.result.exchange_order == 12);
    REQUIRE(l->action.result.fill_price);
    CHECK(l->action.result.fill_price->to_string() == "150.25");
  }
  SECTION("blank lines and ready") {
    auto blank = parse_protocol_line(" \t\r", error);
    REQUIRE(blank);
    CHECK(blank->what == protocol_line::kind::blank);
    auto ready = parse_protocol_line(R"({"type":"ready","extra":1})", error);
    REQUIRE(ready);
    CHECK(ready->what == protocol_line::kind::ready);
  }
  SECTION("a payload: absent is {}, otherwise as written") {
    auto l = parse_protocol_line(
      R"({"type":"publish","order_id":"o1","channel":"order.recovered"})",
      error);
    REQUIRE(l);
    CHECK(l->action.channel == event_channel::recovered);
    CHECK(l->action.payload_json == "{}");
    l = parse_protocol_line(
      R"({"type":"publish","order_id":"o1","channel":"order.recovered","payload":[1,"a"]})",
      error);
    REQUIRE(l);
    CHECK(l->action.payload_json == R"([1,"a"])");
  }
  SECTION("the largest timer, and one more nanosecond") {
    auto l = parse_protocol_line(
      R"({"type":"set_timer","order_id":"o1","id":18446744073709551615,"after_ns":31536000000000000})",
      error);
    REQUIRE(l);
    CHECK(l->action.timer_id == 18446744073709551615ULL);
    CHECK_FALSE(parse_protocol_line(
      R"({"type":"set_timer","order_id":"o1","id":1,"after_ns":31536000000000001})",
      error));
    CHECK(error == "set_timer: \"after_ns\" must be 0..31536000000000000 (got "
                   "31536000000000001)");
  }
  SECTION("a number too large for a double (found by the fuzzer: it threw "
          "out_of_range, not parse_error)") {
    CHECK_FALSE(parse_protocol_line(R"({"type":666006e600})", error));
    CHECK(error == "it is not JSON (a number too large for a double)");
  }
  SECTION("an empty order id") {
    CHECK_FALSE(parse_protocol_line(
      R"({"type":"timed_out","order_id":"","attempt":1})", error));
    CHECK(error == "timed_out: \"order_id\" is empty");
  }
  SECTION("an error text that is not a string") {
    CHECK_FALSE(parse_protocol_line(
      R"({"type":"result","order_id":"o1","success":true,"retry_count":0,"error":42})",
      error));
    CHECK(error == "result: \"error\" must be a string or null (got 42)");
  }
  SECTION("what an error shows of a long line") {
    auto shown = shown_line(std::string(300, 'a') + "\x01");
    CHECK(shown == std::string(200, 'a') + "... (301 bytes)");
    CHECK(shown_line("a\x01\xff") == "a\\x01\\xFF");
  }
}
