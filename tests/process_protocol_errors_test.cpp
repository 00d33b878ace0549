// Nothing a process executor writes can crash or corrupt a run (#14): each
// misbehaving program below (tests/programs/scripted.py playing a script)
// stops `execsim run` with exit 2, an error naming the program, the message
// (and so the order) and the offending line, and a run recorded as "fail".
#include "actors/process/protocol_line.hpp"
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <sys/wait.h>
#include <vector>

using namespace execsim;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

const std::string source_dir = EXECSIM_SOURCE_DIR;

const std::string submit_1 =
  R"({"type":"submit","order_id":"o1","attempt":1,"idem_key":"k1"})";
const std::string started =
  R"({"type":"publish","order_id":"o1","channel":"order.execution_started","payload":{}})";
const std::string executed =
  R"({"type":"publish","order_id":"o1","channel":"order.executed","payload":{}})";
const std::string result_ok =
  R"({"type":"result","order_id":"o1","success":true,"retry_count":0,"exchange_order_id":"X-1","fill_price":"150.25","error":"","error_code":""})";

/// A one-order scenario in `dir` whose program plays `script`; `top` is
/// added to the file's top-level keys.
std::string write_case(const std::string& dir, const std::string& script,
                       const std::string& top = "") {
  std::ofstream(dir + "/script.txt", std::ios::binary) << script;
  std::ofstream(dir + "/program.toml") << fmt::format(
    R"(name = "scripted program"
{}
[executor]
kind = "process"
command = ["python3", "{}/tests/programs/scripted.py", "script.txt"]
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)",
    top, source_dir);
  return dir + "/program.toml";
}

std::string program_name(const std::string& dir) {
  return fmt::format("python3 {}/tests/programs/scripted.py {}/script.txt",
                     source_dir, dir);
}

run_outcome run_file(const std::string& file) {
  auto r = load_scenario_file(file);
  REQUIRE(r.errors.empty());
  return run_scenario(*r.value, run_options{});
}

struct cli_result {
  int exit = -1;
  std::string out;
  std::string verdict;
};

/// `execsim run file` with `env` ("A=1 B=2" or ""), recording into the
/// scenario's directory.
cli_result run_cli(const std::string& file, const std::string& env = "") {
  auto dir = file.substr(0, file.rfind('/'));
  auto cmd = fmt::format("{} {} run {} --db {}/r.sqlite > {}/out.txt 2>&1",
                         env, EXECSIM_BINARY, file, dir, dir);
  auto status = std::system(cmd.c_str());
  cli_result r;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/out.txt");
  std::string err;
  auto db = recording::open(dir + "/r.sqlite", err);
  REQUIRE(db);
  auto v = db->query_scalar("SELECT verdict FROM runs", 0, err);
  if (v)
    r.verdict = std::get<std::string>(*v);
  return r;
}

struct bad_program {
  const char* name;
  std::string script;
  /// The error after `executor program "<name>" `.
  std::string error;
};

/// "sent an invalid line while handling <what>: <why>; its stdout line
/// <n>: <line> (it wrote nothing on stderr)"
std::string invalid(const std::string& what, const std::string& why, int n,
                    const std::string& line) {
  return fmt::format("sent an invalid line while handling {}: {}; its stdout "
                     "line {}: {} (it wrote nothing on stderr)",
                     what, why, n, shown_line(line));
}

const std::string on_execute = "execute o1";
const std::string on_answer = "submit_answer o1 attempt 1";

std::vector<bad_program> bad_programs() {
  auto in_answer = [](const std::string& line) {
    return submit_1 + "\n---\n" + line + "\n";
  };
  auto after_result = [](const std::string& line) {
    return submit_1 + "\n---\n" + result_ok + "\n" + line + "\n";
  };
  const std::string timed_out_40 =
    R"({"type":"timed_out","order_id":"o1","attempt":40})";
  const std::string attempt_null =
    R"({"type":"submit","order_id":"o1","attempt":null,"idem_key":"k1"})";
  const std::string attempt_0 =
    R"({"type":"submit","order_id":"o1","attempt":0,"idem_key":"k1"})";
  const std::string attempt_2 =
    R"({"type":"submit","order_id":"o1","attempt":2,"idem_key":"k1"})";
  const std::string other_order =
    R"({"type":"submit","order_id":"o9","attempt":1,"idem_key":"k1"})";
  const std::string check_1 =
    R"({"type":"check","order_id":"o1","after_attempt":1,"idem_key":"k1"})";
  const std::string check_3 =
    R"({"type":"check","order_id":"o1","after_attempt":3,"idem_key":"k1"})";
  const std::string timer_negative =
    R"({"type":"set_timer","order_id":"o1","id":1,"after_ns":-5})";
  const std::string timer_absurd =
    R"({"type":"set_timer","order_id":"o1","id":1,"after_ns":1000000000000000000})";
  const std::string timer_id_negative =
    R"({"type":"set_timer","order_id":"o1","id":-1,"after_ns":5})";
  const std::string attempt_text =
    R"({"type":"submit","order_id":"o1","attempt":"1","idem_key":"k1"})";
  const std::string no_key = R"({"type":"submit","order_id":"o1","attempt":1})";
  const std::string attempt_huge =
    R"({"type":"submit","order_id":"o1","attempt":1e30,"idem_key":"k1"})";
  const std::string attempt_u64 =
    R"({"type":"submit","order_id":"o1","attempt":18446744073709551615,"idem_key":"k1"})";
  const std::string not_utf8 =
    "{\"type\":\"submit\",\"order_id\":\"o\xff" "1\",\"attempt\":1,\"idem_key\":\"k\"}";
  const std::string deep = R"({"type":"publish","order_id":"o1","channel":"order.executed","payload":)"
                           + std::string(70, '[') + std::string(70, ']') + "}";
  const std::string success_text =
    R"({"type":"result","order_id":"o1","success":"yes","retry_count":0})";
  const std::string bad_xid =
    R"({"type":"result","order_id":"o1","success":true,"retry_count":0,"exchange_order_id":"Y-1"})";
  const std::string price_number =
    R"({"type":"result","order_id":"o1","success":true,"retry_count":0,"fill_price":150.25})";
  const std::string retries_negative =
    R"({"type":"result","order_id":"o1","success":true,"retry_count":-1})";
  const std::string bad_channel =
    R"({"type":"publish","order_id":"o1","channel":"order.done"})";
  const std::string timed_out_1 =
    R"({"type":"timed_out","order_id":"o1","attempt":1})";
  const std::string submit_2 =
    R"({"type":"submit","order_id":"o1","attempt":2,"idem_key":"k1"})";
  const std::string type_null = R"({"type":null,"order_id":"o1"})";
  const std::string cancel = R"({"type":"cancel","order_id":"o1"})";

  return {
    {"timed_out for attempt 40 of 1", submit_1 + "\n" + timed_out_40,
     invalid(on_execute, "timed_out: attempt 40 was never sent (1 sent so far)",
             2, timed_out_40)},
    {"a null attempt", attempt_null,
     invalid(on_execute, "submit: \"attempt\" is null (expected an integer)",
             1, attempt_null)},
    {"attempt 0", attempt_0,
     invalid(on_execute, "submit: \"attempt\" must be 1..1000 (got 0)", 1,
             attempt_0)},
    {"attempt 2 before attempt 1", attempt_2,
     invalid(on_execute,
             "submit: attempt 2 skips attempt 1 (attempts are numbered 1, 2, "
             "3, ...)",
             1, attempt_2)},
    {"attempt 1 twice", submit_1 + "\n" + submit_1,
     invalid(on_execute, "submit: attempt 1 was already sent", 2, submit_1)},
    {"an unknown order id", other_order,
     invalid(on_execute,
             "submit: order_id \"o9\" is not the order being handled (\"o1\")",
             1, other_order)},
    {"a check after an attempt still waiting", submit_1 + "\n" + check_1,
     invalid(on_execute,
             "check: attempt 1 has not failed: it has no answer yet and was "
             "not declared timed out (send timed_out first)",
             2, check_1)},
    {"a check after an acknowledged attempt", in_answer(check_1),
     invalid(on_answer,
             "check: attempt 1 has not failed: the exchange acknowledged it",
             3, check_1)},
    {"a check after an attempt never sent", check_3,
     invalid(on_execute, "check: attempt 3 was never sent (0 sent so far)", 1,
             check_3)},
    {"a negative timer", timer_negative,
     invalid(on_execute,
             "set_timer: \"after_ns\" must be 0..31536000000000000 (got -5)",
             1, timer_negative)},
    {"a timer of 31 years", timer_absurd,
     invalid(on_execute,
             "set_timer: \"after_ns\" must be 0..31536000000000000 (got "
             "1000000000000000000)",
             1, timer_absurd)},
    {"a negative timer id", timer_id_negative,
     invalid(on_execute,
             "set_timer: \"id\" must be an integer 0..18446744073709551615 "
             "(got -1)",
             1, timer_id_negative)},
    {"a submit after the result", after_result(submit_2),
     invalid(on_answer, "submit: submit of attempt 2 after the order's result",
             4, submit_2)},
    {"an attempt as a string", attempt_text,
     invalid(on_execute, "submit: \"attempt\" must be an integer (got \"1\")",
             1, attempt_text)},
    {"a missing idem_key", no_key,
     invalid(on_execute, "submit: \"idem_key\" is missing", 1, no_key)},
    {"an attempt of 1e30", attempt_huge,
     invalid(on_execute, "submit: \"attempt\" must be an integer (got 1e+30)",
             1, attempt_huge)},
    {"an attempt of 2^64-1", attempt_u64,
     invalid(on_execute,
             "submit: \"attempt\" must be 1..1000 (got 18446744073709551615)",
             1, attempt_u64)},
    {"a line that is not UTF-8", not_utf8,
     invalid(on_execute, "it is not valid UTF-8 (byte 0xff at offset 30)", 1,
             not_utf8)},
    {"a payload nested 70 deep", deep,
     invalid(on_execute, "it nests arrays and objects deeper than 64 levels",
             1, deep)},
    {"success as a string", in_answer(success_text),
     invalid(on_answer,
             "result: \"success\" must be true or false (got \"yes\")", 3,
             success_text)},
    {"an exchange order id that is not X-<n>", in_answer(bad_xid),
     invalid(on_answer,
             "result: \"exchange_order_id\" must be \"X-<n>\" with n >= 1, "
             "\"\" or null (got \"Y-1\")",
             3, bad_xid)},
    {"a fill price as a number", in_answer(price_number),
     invalid(on_answer,
             "result: \"fill_price\" must be a decimal string like \"150.25\" "
             "or null (got 150.25)",
             3, price_number)},
    {"a negative retry count", in_answer(retries_negative),
     invalid(on_answer, "result: \"retry_count\" must be 0..1000 (got -1)", 3,
             retries_negative)},
    {"an unknown channel", bad_channel,
     invalid(on_execute,
             "publish: \"channel\" must be order.execution_started, "
             "order.executed, order.recovered or order.execution_failed (got "
             "\"order.done\")",
             1, bad_channel)},
    {"timed_out after the answer", in_answer(timed_out_1),
     invalid(on_answer, "timed_out: attempt 1 was already answered (ack)", 3,
             timed_out_1)},
    {"a null type", type_null,
     invalid(on_execute, "it has no \"type\" string", 1, type_null)},
    {"an unknown type", cancel,
     invalid(on_execute,
             "unknown type \"cancel\" (expected submit, check, set_timer, "
             "cancel_timer, timed_out, check_timed_out, publish, result or "
             "ready)",
             1, cancel)},
    {"a line that is not JSON", "hello",
     invalid(on_execute, "it is not JSON (syntax error at byte 1)", 1,
             "hello")},
    {"a JSON array", "[1,2]",
     invalid(on_execute, "it is not a JSON object", 1, "[1,2]")},
  };
}

} // namespace

// No ';' in a test name: catch_discover_tests splits names on it.
TEST_CASE("a misbehaving program is an error naming program, message and "
          "line, exits 2 and is recorded as a failure",
          "[process][protocol]") {
  for (const auto& p : bad_programs()) {
    DYNAMIC_SECTION(p.name) {
      scratch_dir scratch;
      auto file = write_case(scratch.path(), p.script);
      auto expected = fmt::format("executor program \"{}\" {}",
                                  program_name(scratch.path()), p.error);
      auto out = run_file(file);
      CHECK_FALSE(out.pass);
      CHECK(out.executor_broken);
      CHECK(out.error == expected);
      auto cli = run_cli(file);
      CHECK(cli.exit == 2);
      CHECK(cli.out.find("    error: " + expected + "\n") != std::string::npos);
      CHECK(cli.verdict == "fail");
    }
  }
}

TEST_CASE("null for an optional text field of a result is absent",
          "[process][protocol]") {
  scratch_dir scratch;
  auto result =
    R"({"type":"result","order_id":"o1","success":true,"retry_count":0,"exchange_order_id":"X-1","fill_price":"150.25","error":null,"error_code":null})";
  auto file = write_case(scratch.path(), started + "\n" + submit_1 + "\n---\n"
                                           + executed + "\n" + result + "\n");
  auto cli = run_cli(file);
  INFO(cli.out);
  CHECK(cli.exit == 0);
  CHECK(cli.verdict == "pass");
  std::string err;
  auto db = recording::open(scratch.path() + "/r.sqlite", err);
  REQUIRE(db);
  auto v = db->query_scalar(
    "SELECT coalesce(error, '<null>') || '|' || coalesce(error_code, "
    "'<null>') || '|' || coalesce(exchange_order_id, '<null>') FROM orders",
    0, err);
  INFO(err);
  REQUIRE(v);
  // Recorded exactly as "" would be: the recording writes no error as NULL.
  CHECK(std::get<std::string>(*v) == "<null>|<null>|X-1");
}

// A second result and an event after the result are not bad input: they are
// the executor bug the `terminal` invariant names (exit 1), and a file that
// expects them says so with expect_violations.
TEST_CASE("a program's second result or event after its result violates "
          "terminal: exit 1, or 0 when expected",
          "[process][protocol][invariants]") {
  struct terminal_case {
    const char* name;
    std::string after;
    std::string detail;
  };
  const terminal_case cases[] = {
    {"two results", result_ok, "the order got 2 results"},
    {"an event after the result", executed,
     "event order.executed published after the result"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      auto script = started + "\n" + submit_1 + "\n---\n" + executed + "\n"
                    + result_ok + "\n" + c.after + "\n";
      scratch_dir scratch;
      auto out = run_file(write_case(scratch.path(), script));
      CHECK_FALSE(out.pass);
      CHECK_FALSE(out.executor_broken);
      CHECK(out.error.empty());
      CHECK(out.successes == 1);
      REQUIRE(out.violations.size() == 1);
      CHECK(out.violations[0].invariant == "terminal");
      CHECK(out.violations[0].order_id == std::optional<std::string>{"o1"});
      CHECK(out.violations[0].detail == c.detail);
      auto cli = run_cli(write_case(scratch.path(), script));
      INFO(cli.out);
      CHECK(cli.exit == 1);
      CHECK(cli.verdict == "fail");
      scratch_dir expecting;
      auto file = write_case(expecting.path(), script,
                             "expect_violations = [\"terminal\"]");
      auto expected = run_cli(file);
      INFO(expected.out);
      CHECK(expected.exit == 0);
      CHECK(expected.verdict == "pass");
    }
  }
}
