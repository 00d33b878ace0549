// The scenario loader: good files come back with every value and default
// exact; every file of tests/malformed gives exactly the errors listed in
// tests/malformed/expected.txt; what the scenario writer writes reads back
// as the same scenario.
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_writer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#ifndef EXECSIM_SOURCE_DIR
#error "EXECSIM_SOURCE_DIR must name the source root (the test CMake target defines it)"
#endif

using namespace execsim;

namespace {

const std::string source_dir = EXECSIM_SOURCE_DIR;
const std::string corpus_dir = "tests/malformed";

std::vector<std::string> messages_of(const load_result& result) {
  std::vector<std::string> out;
  for (const auto& error : result.errors)
    out.push_back(error.to_string());
  return out;
}

/// Loads `text` and returns the scenario; fails the test on any error.
scenario load_good(const std::string& text) {
  auto result = load_scenario_text(text, "good.toml");
  INFO(Catch::Detail::stringify(messages_of(result)));
  REQUIRE(result.errors.empty());
  REQUIRE(result.value.has_value());
  return *result.value;
}

/// The messages for `text`, named "bad.toml" (no scenario may come back).
std::vector<std::string> load_bad(const std::string& text) {
  auto result = load_scenario_text(text, "bad.toml");
  CHECK_FALSE(result.value.has_value());
  return messages_of(result);
}

/// expected.txt: "tests/malformed/<file>:line:column: message" lines, by
/// file ('#' comments and blank lines skipped).
std::map<std::string, std::vector<std::string>> expected_messages() {
  std::ifstream in(source_dir + "/" + corpus_dir + "/expected.txt");
  REQUIRE(in.good());
  std::map<std::string, std::vector<std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    out[line.substr(0, line.find(':'))].push_back(line);
  }
  return out;
}

std::set<std::string> corpus_files() {
  std::set<std::string> out;
  for (const auto& entry :
       std::filesystem::directory_iterator(source_dir + "/" + corpus_dir)) {
    if (entry.path().extension() == ".toml")
      out.insert(corpus_dir + "/" + entry.path().filename().string());
  }
  return out;
}

/// Loads a corpus file by its full path, as `execsim run` would, and gives
/// the messages with the source root cut off so they match expected.txt.
std::vector<std::string> corpus_messages(const std::string& relative) {
  auto result = load_scenario_file(source_dir + "/" + relative);
  CHECK_FALSE(result.value.has_value());
  std::vector<std::string> out;
  for (const auto& message : messages_of(result)) {
    REQUIRE(message.rfind(source_dir + "/", 0) == 0);
    out.push_back(message.substr(source_dir.size() + 1));
  }
  return out;
}

} // namespace

TEST_CASE("every malformed file gives exactly its expected errors",
          "[scenario_loader]") {
  auto expected = expected_messages();
  auto files = corpus_files();
  CHECK(files.size() >= 24);
  for (const auto& file : files) {
    CAPTURE(file);
    auto found = expected.find(file);
    REQUIRE(found != expected.end()); // every file has its expectations
    CHECK(corpus_messages(file) == found->second);
  }
  for (const auto& [file, messages] : expected) {
    CAPTURE(file);
    CHECK(files.count(file) == 1); // no expectation for a missing file
  }
}

TEST_CASE("a minimal file gets every default", "[scenario_loader]") {
  auto s = load_good(R"(
name = "minimal"
[[orders]]
id = "o1"
)");
  CHECK(s.name == "minimal");
  CHECK(s.description.empty());
  CHECK(s.seed == 0);
  CHECK(s.file == "good.toml");
  CHECK(s.text.find("name = \"minimal\"") != std::string::npos);

  const auto& e = s.executor;
  CHECK(e.kind == "builtin");
  CHECK(e.command.empty());
  CHECK(e.max_attempts == 3);
  CHECK(e.initial_backoff == 1'000'000'000);
  CHECK(e.backoff_multiplier == 2.0);
  CHECK(e.max_backoff == 0);
  CHECK(e.jitter == jitter_mode::none);
  CHECK(e.submit_timeout == 2'000'000'000);
  CHECK(e.check_timeout == 1'000'000'000);
  CHECK(e.fatal_codes == std::vector<std::string>{"INVALID_SYMBOL",
                                                  "UNAUTHORIZED",
                                                  "INSUFFICIENT_FUNDS",
                                                  "RISK_VIOLATION"});
  CHECK(e.final_check);

  const auto& x = s.exchange;
  CHECK(x.latency.min == 10'000'000);
  CHECK(x.latency.max == 10'000'000);
  CHECK(x.on_duplicate_key == duplicate_policy::return_existing);
  CHECK(x.symbols.empty());
  CHECK(x.prices.empty());

  REQUIRE(s.orders.size() == 1);
  const auto& o = s.orders[0];
  CHECK(o.id == "o1");
  CHECK(o.at == 0);
  CHECK(o.trader == "T1");
  CHECK(o.symbol == "AAPL");
  CHECK(o.side == order_side::buy);
  CHECK(o.quantity == 1);
  CHECK_FALSE(o.price.has_value());
  CHECK(o.timestamp == "t+0");
  CHECK(o.pos.line == 3);
  CHECK(o.pos.column == 1);

  CHECK(s.faults.empty());
  CHECK(s.expects.empty());
  CHECK(s.checks.empty());
  CHECK(s.expect_violations.empty());
  CHECK_FALSE(s.explore.present);
}

TEST_CASE("every key of a full file is read exactly", "[scenario_loader]") {
  auto s = load_good(R"(
name = "full"
description = "every key"
seed = 18446744073709551
expect_violations = ["one_fill_per_key", "terminal"]

[executor]
kind = "builtin"
max_attempts = 5
initial_backoff = "250ms"
backoff_multiplier = 1.5
max_backoff = "1m"
jitter = "decorrelated"
submit_timeout = "500ms"
check_timeout = "1.5us"
fatal_codes = []
final_check = false

[exchange]
latency = "20ns"
on_duplicate_key = "accept"
symbols = ["AAPL", "MSFT"]

[exchange.prices]
AAPL = "150.25"
MSFT = "0.000000001"

[[orders]]
id = "o1"
at = "1.5s"
trader = "T2"
symbol = "MSFT"
side = "sell"
quantity = 9223372036854775807
price = "150.50"

[[orders]]
id = "o2"
at = "2h"
timestamp = "2025-10-17T14:30:00Z"

[[expect]]
order = "o1"
success = false
retry_count = 2
error_code = "STATUS_UNKNOWN"
fill_price = "150.25"
submits = 3
fills = 0
finished_at = "4.56s"
events = ["order.execution_started", "order.execution_failed"]

[[expect]]
order = "o2"

[[check]]
sql = "SELECT count(*) FROM fills WHERE run_id = :run"
equals = 1
always = true

[[check]]
sql = "SELECT 'x'"
equals = "x"

[[check]]
sql = "SELECT 0.5"
equals = 0.5
)");
  CHECK(s.description == "every key");
  CHECK(s.seed == 18446744073709551ULL);
  CHECK(s.expect_violations ==
        std::vector<std::string>{"one_fill_per_key", "terminal"});

  const auto& e = s.executor;
  CHECK(e.max_attempts == 5);
  CHECK(e.initial_backoff == 250'000'000);
  CHECK(e.backoff_multiplier == 1.5);
  CHECK(e.max_backoff == 60'000'000'000);
  CHECK(e.jitter == jitter_mode::decorrelated);
  CHECK(e.submit_timeout == 500'000'000);
  CHECK(e.check_timeout == 1'500);
  CHECK(e.fatal_codes.empty());
  CHECK_FALSE(e.final_check);

  const auto& x = s.exchange;
  CHECK(x.latency.min == 20);
  CHECK(x.latency.max == 20);
  CHECK(x.on_duplicate_key == duplicate_policy::accept);
  CHECK(x.symbols == std::vector<std::string>{"AAPL", "MSFT"});
  REQUIRE(x.prices.size() == 2);
  CHECK(x.prices.at("AAPL").mantissa() == 15025);
  CHECK(x.prices.at("AAPL").scale() == 2);
  CHECK(x.prices.at("MSFT").nano() == 1);

  REQUIRE(s.orders.size() == 2);
  const auto& o1 = s.orders[0];
  CHECK(o1.at == 1'500'000'000);
  CHECK(o1.trader == "T2");
  CHECK(o1.symbol == "MSFT");
  CHECK(o1.side == order_side::sell);
  CHECK(o1.quantity == 9223372036854775807LL);
  REQUIRE(o1.price.has_value());
  CHECK(o1.price->to_string() == "150.50");
  CHECK(o1.timestamp == "t+1500000000");
  const auto& o2 = s.orders[1];
  CHECK(o2.at == 7'200'000'000'000);
  CHECK(o2.timestamp == "2025-10-17T14:30:00Z");

  REQUIRE(s.expects.size() == 2);
  const auto& x1 = s.expects[0];
  CHECK(x1.order == "o1");
  CHECK(x1.success == false);
  CHECK(x1.retry_count == 2);
  CHECK(x1.error_code == "STATUS_UNKNOWN");
  REQUIRE(x1.fill_price.has_value());
  CHECK(x1.fill_price->to_string() == "150.25");
  CHECK(x1.submits == 3);
  CHECK(x1.fills == 0);
  CHECK(x1.finished_at == 4'560'000'000);
  REQUIRE(x1.events.has_value());
  CHECK(*x1.events == std::vector<std::string>{"order.execution_started",
                                               "order.execution_failed"});
  const auto& x2 = s.expects[1];
  CHECK(x2.order == "o2");
  CHECK_FALSE(x2.success.has_value());
  CHECK_FALSE(x2.retry_count.has_value());
  CHECK_FALSE(x2.error_code.has_value());
  CHECK_FALSE(x2.fill_price.has_value());
  CHECK_FALSE(x2.submits.has_value());
  CHECK_FALSE(x2.fills.has_value());
  CHECK_FALSE(x2.finished_at.has_value());
  CHECK_FALSE(x2.events.has_value());

  REQUIRE(s.checks.size() == 3);
  CHECK(s.checks[0].sql == "SELECT count(*) FROM fills WHERE run_id = :run");
  CHECK(s.checks[0].equals == sql_value{std::int64_t{1}});
  CHECK(s.checks[0].always);
  CHECK(s.checks[1].equals == sql_value{std::string("x")});
  CHECK_FALSE(s.checks[1].always);
  CHECK(s.checks[2].equals == sql_value{0.5});
}

TEST_CASE("faults of every kind", "[scenario_loader]") {
  auto s = load_good(R"(
name = "faults"
[[orders]]
id = "o1"
[[faults]]
kind = "drop_request"
[[faults]]
kind = "drop_ack"
order = "o1"
attempt = 3
[[faults]]
kind = "delay_ack"
order = "o1"
delay = "700ms"
[[faults]]
kind = "network_error"
attempt = 2
[[faults]]
kind = "reject"
code = "RATE_LIMITED"
[[faults]]
kind = "check_fail"
attempt = 1
[[faults]]
kind = "check_drop"
order = "o1"
[[faults]]
kind = "outage"
from = "0s"
until = "1.25s"
)");
  REQUIRE(s.faults.size() == 8);
  const auto& f = s.faults;
  CHECK(f[0].kind == fault_kind::drop_request);
  CHECK_FALSE(f[0].order.has_value());
  CHECK_FALSE(f[0].attempt.has_value());
  CHECK(f[0].pos.line == 5);
  CHECK(f[1].kind == fault_kind::drop_ack);
  CHECK(f[1].order == "o1");
  CHECK(f[1].attempt == 3);
  CHECK(f[2].kind == fault_kind::delay_ack);
  CHECK(f[2].delay == 700'000'000);
  CHECK(f[3].kind == fault_kind::network_error);
  CHECK(f[3].attempt == 2);
  CHECK(f[4].kind == fault_kind::reject);
  CHECK(f[4].code == "RATE_LIMITED");
  CHECK(f[5].kind == fault_kind::check_fail);
  CHECK(f[5].attempt == 1);
  CHECK(f[6].kind == fault_kind::check_drop);
  CHECK(f[6].order == "o1");
  CHECK(f[7].kind == fault_kind::outage);
  CHECK(f[7].from == 0);
  CHECK(f[7].until == 1'250'000'000);
}

TEST_CASE("latency ranges", "[scenario_loader]") {
  auto s = load_good(R"(
name = "latency"
[exchange]
latency = { min = "5ms", max = "50ms" }
)");
  CHECK(s.exchange.latency.min == 5'000'000);
  CHECK(s.exchange.latency.max == 50'000'000);

  auto fixed = load_good(R"(
name = "latency"
[exchange]
latency = { min = "7ms", max = "7ms" }
)");
  CHECK(fixed.exchange.latency.min == 7'000'000);
  CHECK(fixed.exchange.latency.max == 7'000'000);

  CHECK(load_bad(R"(
name = "latency"
[exchange]
latency = { min = "5ms", mid = "6ms" }
)") == std::vector<std::string>{
           "bad.toml:4:11: exchange.latency: missing required key \"max\"",
           "bad.toml:4:26: unknown key \"mid\" in exchange.latency (expected "
           "one of: dist, min, max, median, p99)"});
}

TEST_CASE("the explore table", "[scenario_loader]") {
  auto s = load_good(R"(
name = "explore"
[explore]
drop_request = 0.05
drop_ack = 1
network_error = 0
check_fail = 0.1
check_drop = 0.25
delay_ack = { p = 0.1, max = "3s" }
reject = { p = 0.02, codes = ["RATE_LIMITED", "BUSY"] }
outage = { p = 0.01, max = "5s" }
)");
  const auto& x = s.explore;
  CHECK(x.present);
  CHECK(x.drop_request == 0.05);
  CHECK(x.drop_ack == 1.0);
  CHECK(x.network_error == 0.0);
  CHECK(x.check_fail == 0.1);
  CHECK(x.check_drop == 0.25);
  CHECK(x.delay_ack == 0.1);
  CHECK(x.delay_ack_max == 3'000'000'000);
  CHECK(x.reject == 0.02);
  CHECK(x.reject_codes == std::vector<std::string>{"RATE_LIMITED", "BUSY"});
  CHECK(x.outage == 0.01);
  CHECK(x.outage_max == 5'000'000'000);

  auto empty = load_good("name = \"x\"\n[explore]\n");
  CHECK(empty.explore.present);
  CHECK(empty.explore.drop_ack == 0.0);
}

TEST_CASE("executor kinds", "[scenario_loader]") {
  auto process = load_good(R"(
name = "process"
[executor]
kind = "process"
command = ["./my_executor", "--fast", ""]
backoff_multiplier = 3
)");
  CHECK(process.executor.kind == "process");
  CHECK(process.executor.command ==
        std::vector<std::string>{"./my_executor", "--fast", ""});
  CHECK(process.executor.backoff_multiplier == 3.0);

  auto plugin = load_good("name = \"p\"\n[executor]\nkind = \"retry_v2\"\n");
  CHECK(plugin.executor.kind == "retry_v2");

  CHECK(load_bad(R"(
name = "process"
[executor]
command = ["./x"]
)") == std::vector<std::string>{
           "bad.toml:4:11: executor.command: only used with kind = "
           "\"process\" (kind is \"builtin\")"});
  CHECK(load_bad(R"(
name = "process"
[executor]
kind = "process"
command = []
)") == std::vector<std::string>{
           "bad.toml:5:11: executor.command: must name the program to run "
           "(got an empty array)"});
  CHECK(load_bad(R"(
name = "process"
[executor]
kind = "process"
command = ["", "x"]
)") == std::vector<std::string>{
           "bad.toml:5:12: executor.command[1]: must not be empty (it is "
           "the program to run)"});
}

TEST_CASE("errors come sorted by line and column, not by key",
          "[scenario_loader]") {
  // toml++ keeps a table's keys sorted by name; the messages must follow
  // the file instead.
  CHECK(load_bad(R"(
name = "order"
zeta = 1
alpha = 2
[executor]
submit_timeout = "1"
check_timeout = 5
)") == std::vector<std::string>{
           "bad.toml:3:1: unknown key \"zeta\" at top level (expected one "
           "of: name, description, seed, executor, exchange, orders, faults, "
           "expect, check, expect_violations, explore, reconciler)",
           "bad.toml:4:1: unknown key \"alpha\" at top level (expected one "
           "of: name, description, seed, executor, exchange, orders, faults, "
           "expect, check, expect_violations, explore, reconciler)",
           "bad.toml:6:18: executor.submit_timeout: duration \"1\" has no "
           "unit: expected a duration with a unit, like \"250ms\", \"1.5s\", "
           "\"2m\", \"500us\" or \"20ns\"",
           "bad.toml:7:17: executor.check_timeout: expected a duration "
           "string with a unit, like \"250ms\" (got integer 5)"});
}

TEST_CASE("one mistake gives one message", "[scenario_loader]") {
  // A wrong max_attempts is not repeated by the fault that names attempt 5.
  CHECK(load_bad(R"(
name = "cascade"
[executor]
max_attempts = 0
[[faults]]
kind = "drop_ack"
attempt = 5
)") == std::vector<std::string>{
           "bad.toml:4:16: executor.max_attempts: must be between 1 and 100 "
           "(got 0)"});
  // A fault of an unknown kind still has its other keys checked.
  CHECK(load_bad(R"(
name = "cascade"
[[faults]]
kind = "drop"
attempt = 0
)") == std::vector<std::string>{
           "bad.toml:4:8: faults[1].kind: unknown fault kind \"drop\" "
           "(expected one of: drop_request, drop_ack, delay_ack, "
           "network_error, reject, check_fail, check_drop, outage, delay_check)",
           "bad.toml:5:11: faults[1].attempt: must be >= 1 (got 0)"});
}

TEST_CASE("delay_check: its delay and its [explore] chance are checked, "
          "every error at once", "[scenario_loader]") {
  CHECK(load_bad(R"(
name = "delay_check"
[[orders]]
id = "o1"
[[faults]]
kind = "delay_check"
order = "o1"
attempt = 1
[[faults]]
kind = "delay_check"
attempt = 0
delay = "-5ms"
[explore]
delay_check = { p = 1.5, max = "2s" }
)") == std::vector<std::string>{
           "bad.toml:5:1: faults[1]: missing required key \"delay\" for fault "
           "kind \"delay_check\"",
           "bad.toml:12:9: faults[2].delay: bad duration \"-5ms\": expected a "
           "duration with a unit, like \"250ms\", \"1.5s\", \"2m\", \"500us\" "
           "or \"20ns\"",
           "bad.toml:14:21: explore.delay_check.p: must be between 0 and 1 "
           "(got 1.5)"});
}

namespace {

/// Kind, order, attempt and delay of every fault agree (positions differ:
/// they are of another text).
bool same_faults(const std::vector<fault_spec>& a,
                 const std::vector<fault_spec>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const fault_spec& x, const fault_spec& y) {
                      return x.kind == y.kind && x.order == y.order
                             && x.attempt == y.attempt && x.delay == y.delay;
                    });
}

} // namespace

TEST_CASE("delay_check: written back by the scenario writer and read again "
          "as the same faults, running to the same digest",
          "[scenario_loader][scenario_writer]") {
  // A minimal file keeps a delay_check exactly: to the nanosecond, on one
  // order's check or on every order's, and it drops [explore] (its chances
  // and delay_check's with them: a minimal file draws nothing).
  auto first = load_good(R"(
name = "delay_check round trip"
[executor]
submit_timeout = "1s"
check_timeout = "500ms"
[exchange]
latency = "20ms"
[[orders]]
id = "o1"
[[faults]]
kind = "drop_ack"
order = "o1"
attempt = 1
[[faults]]
kind = "delay_check"
order = "o1"
attempt = 1
delay = "459999999ns"
[[faults]]
kind = "delay_check"
attempt = 2
delay = "2s"
[explore]
delay_check = { p = 0.25, max = "3s" }
boundary = 0.5
)");
  REQUIRE(first.explore.delay_check == 0.25);
  auto text = to_toml(first);
  CHECK(text.find("faults = [\n"
                  "  { kind = \"drop_ack\", order = \"o1\", attempt = 1 },\n"
                  "  { kind = \"delay_check\", order = \"o1\", attempt = 1, "
                  "delay = \"459.999999ms\" },\n"
                  "  { kind = \"delay_check\", attempt = 2, delay = \"2s\" "
                  "},\n"
                  "]\n")
        != std::string::npos);
  CHECK(text.find("explore") == std::string::npos);
  auto again = load_good(text);
  CHECK(same_faults(again.faults, first.faults));
  CHECK(again.faults[1].delay == 459'999'999);
  CHECK(!again.faults[2].order);
  CHECK(again.faults[2].attempt == std::optional<int>{2});
  CHECK(again.faults[2].delay == 2'000'000'000);
  CHECK(!again.explore.present);
  CHECK(again.explore.delay_check == 0);
  // Written again, the text is the same: nothing was lost on the way.
  CHECK(to_toml(again) == text);
  // And it runs as the original does (a plain run draws no [explore]
  // faults): the check sent at 1s is answered (found) 1ns before its
  // timeout at 1.5s, so attempt 2 and its fault never come.
  run_options opt;
  auto a = run_scenario(first, opt);
  auto b = run_scenario(again, opt);
  REQUIRE(a.error.empty());
  CHECK(a.pass);
  CHECK(b.digest == a.digest);
  CHECK(b.virtual_end == a.virtual_end);
  CHECK(a.virtual_end == 1'499'999'999);
  CHECK(b.faults_by_kind.at("delay_check") == 1);
}

TEST_CASE("wrong shapes of tables", "[scenario_loader]") {
  CHECK(load_bad(R"(
name = "shapes"
executor = 3
orders = [{ id = "o1" }, 5]
)") == std::vector<std::string>{
           "bad.toml:3:12: executor: expected a table (got integer 3)",
           "bad.toml:4:26: orders[2]: expected a table (got integer 5)"});
  CHECK(load_bad("name = \"shapes\"\n[orders]\nid = \"o1\"\n") ==
        std::vector<std::string>{
          "bad.toml:2:1: orders: expected an array of tables, like "
          "[[orders]] (got table)"});
}

// toml++ 3.3 asserts on "[[[a]]]" when its parser is compiled in with
// assertions on (header-only debug builds; fixed upstream, tomlplusplus
// PR #301). The project links the shared library, where it is a parse error.
#if defined(TOML_HEADER_ONLY) && TOML_HEADER_ONLY == 0
TEST_CASE("a broken table header is a parse error", "[scenario_loader]") {
  CHECK(load_bad("name = \"x\"\n[[[orders]]]\n") ==
        std::vector<std::string>{
          "bad.toml:2:3: invalid TOML: Error while parsing key: expected bare "
          "key starting character or string delimiter, saw '['"});
}
#endif

TEST_CASE("an empty file needs a name at 1:1", "[scenario_loader]") {
  CHECK(load_bad("") == std::vector<std::string>{
                          "bad.toml:1:1: missing required key \"name\""});
}

TEST_CASE("unknown orders are listed, at most ten", "[scenario_loader]") {
  std::string text = "name = \"many\"\n";
  for (int i = 1; i <= 12; ++i)
    text += "[[orders]]\nid = \"o" + std::to_string(i) + "\"\n";
  text += "[[expect]]\norder = \"o13\"\n";
  CHECK(load_bad(text) ==
        std::vector<std::string>{
          "bad.toml:27:9: expect[1].order: unknown order \"o13\" (orders in "
          "this file: o1, o2, o3, o4, o5, o6, o7, o8, o9, o10 and 2 more)"});
}

TEST_CASE("load_error::to_string", "[scenario_loader]") {
  CHECK(load_error{"a.toml", {3, 7}, "bad"}.to_string() == "a.toml:3:7: bad");
  CHECK(load_error{"a.toml", {}, "bad"}.to_string() == "a.toml: bad");
}

TEST_CASE("load_scenario_file", "[scenario_loader]") {
  SECTION("keeps the path and the exact text") {
    std::string text = "name = \"from a file\"\r\n[[orders]]\r\nid = \"o1\"";
    auto dir = std::filesystem::temp_directory_path() / "execsim_loader_test";
    std::filesystem::create_directories(dir);
    auto file = (dir / "good.toml").string();
    std::ofstream(file, std::ios::binary) << text;
    auto result = load_scenario_file(file);
    REQUIRE(result.value.has_value());
    CHECK(result.value->file == file);
    CHECK(result.value->text == text);
    CHECK(result.value->name == "from a file");
    std::filesystem::remove_all(dir);
  }
  SECTION("a missing file is one error without position") {
    auto result = load_scenario_file("/nonexistent/execsim/x.toml");
    CHECK_FALSE(result.value.has_value());
    CHECK(messages_of(result) ==
          std::vector<std::string>{"/nonexistent/execsim/x.toml: cannot "
                                   "read file (No such file or directory)"});
  }
  SECTION("a directory is not a file") {
    auto result = load_scenario_file(source_dir + "/tests");
    CHECK(messages_of(result) ==
          std::vector<std::string>{source_dir + "/tests: cannot read file "
                                                "(Is a directory)"});
  }
}

// ------------------------------------------------------------ input edges

namespace {

std::string dotted(int parts) {
  std::string key = "a";
  for (int i = 1; i < parts; ++i)
    key += ".a";
  return key;
}

const std::string nesting_rule =
  "nests deeper than 32 levels (table headers, dotted keys, arrays and "
  "inline tables counted together); a scenario needs only a few";

} // namespace

TEST_CASE("a dotted key or table header 40,000 levels deep is one error",
          "[scenario_loader][input_edges]") {
  // 80 KB each: the TOML parser alone overflows the stack on these.
  auto key = dotted(40'000);
  CHECK(load_bad("name = \"deep\"\n" + key + " = 1\n")
        == std::vector<std::string>{"bad.toml:2:64: dotted key " + nesting_rule});
  CHECK(load_bad("name = \"deep\"\n[" + key + "]\n")
        == std::vector<std::string>{"bad.toml:2:65: table header "
                                    + nesting_rule});
  CHECK(load_bad("name = \"deep\"\n[[" + key + "]]\n")
        == std::vector<std::string>{"bad.toml:2:66: table header "
                                    + nesting_rule});
  // Inside an inline table, the key counts from the table's depth.
  CHECK(load_bad("name = \"deep\"\nx = { " + key + " = 1 }\n")
        == std::vector<std::string>{"bad.toml:2:66: dotted key " + nesting_rule});
}

TEST_CASE("arrays and inline tables count towards the 32 levels",
          "[scenario_loader][input_edges]") {
  CHECK(load_bad("name = \"deep\"\nx = " + std::string(40'000, '[')
                 + std::string(40'000, ']') + "\n")
        == std::vector<std::string>{"bad.toml:2:36: array " + nesting_rule});
  // An inline table and each key in it are a level each.
  std::string inline_tables;
  for (int i = 0; i < 40'000; ++i)
    inline_tables += "{a=";
  CHECK(load_bad("name = \"deep\"\nx = " + inline_tables + "\n")
        == std::vector<std::string>{"bad.toml:2:51: key " + nesting_rule});
  // Brackets, braces and dots in strings and comments do not count.
  std::string noise = "\"" + std::string(100, '[') + dotted(100) + "\"";
  auto s = load_good("name = " + noise + "\n# " + std::string(100, '{')
                     + "\ndescription = '''" + dotted(100) + "'''\n"
                     + "[exchange.prices]\n" + "\"" + dotted(100)
                     + "\" = \"1\"\n[[orders]]\nid = \"o1\"\n");
  CHECK(s.orders.size() == 1);
}

TEST_CASE("32 levels are parsed, 33 are not", "[scenario_loader][input_edges]") {
  // 32: an ordinary unknown key (the parser ran); 33: the nesting error.
  CHECK(load_bad("name = \"n\"\n" + dotted(32) + " = 1\n")
        == std::vector<std::string>{
          "bad.toml:2:1: unknown key \"a\" at top level (expected one of: "
          "name, description, seed, executor, exchange, orders, faults, "
          "expect, check, expect_violations, explore, reconciler)"});
  CHECK(load_bad("name = \"n\"\n" + dotted(33) + " = 1\n")
        == std::vector<std::string>{"bad.toml:2:64: dotted key " + nesting_rule});
  CHECK(load_bad("name = \"n\"\n[exchange]\n" + dotted(31) + " = 1\n").size()
        == 1);
  CHECK(load_bad("name = \"n\"\n[exchange]\n" + dotted(32) + " = 1\n")
        == std::vector<std::string>{"bad.toml:3:62: dotted key " + nesting_rule});
}

TEST_CASE("control characters: none in names, tab and line breaks in a "
          "description",
          "[scenario_loader][input_edges]") {
  auto s = load_good("name = \"n\"\ndescription = \"\"\"\nline 1\n\tline 2\"\"\"\n"
                     "[[orders]]\nid = \"o1\"\n");
  CHECK(s.description == "line 1\n\tline 2");
  CHECK(load_bad("name = \"n\\u0000\"\n")
        == std::vector<std::string>{
          "bad.toml:1:8: name: control character U+0000 at character 2 of "
          "\"n\\u0000\" (not allowed in any string)"});
  CHECK(load_bad("name = \"n\"\ndescription = \"a\\u0000b\"\n")
        == std::vector<std::string>{
          "bad.toml:2:15: description: control character U+0000 at "
          "character 2 of \"a\\u0000b\" (not allowed in any string)"});
  // Counted in characters, not bytes.
  CHECK(load_bad("name = \"n\"\n[[orders]]\nid = \"é\\u001f\"\n")
        == std::vector<std::string>{
          "bad.toml:3:6: orders[1].id: control character U+001F at "
          "character 2 of \"é\\u001f\" (not allowed in ids, names, symbols "
          "and codes)"});
}

// ------------------------------------------------------------- warnings

namespace {

/// The warnings of `text` (which must load, named "w.toml").
std::vector<std::string> warnings_of(const std::string& text) {
  auto result = load_scenario_text(text, "w.toml");
  INFO(Catch::Detail::stringify(messages_of(result)));
  REQUIRE(result.errors.empty());
  REQUIRE(result.value.has_value());
  std::vector<std::string> out;
  for (const auto& w : result.warnings)
    out.push_back(w.to_warning_string());
  return out;
}

const std::string priced = "name = \"w\"\n[exchange.prices]\nAAPL = \"1\"\n";

} // namespace

TEST_CASE("warning: two orders with one idempotency key, at the second",
          "[scenario_loader][warnings]") {
  // A buy and a sell: the original key has no side.
  auto text = priced + R"(
[[orders]]
id = "b"
quantity = 5
timestamp = "T"

  [[orders]]
  id = "s"
  side = "sell"
  quantity = 5
  timestamp = "T"
)";
  CHECK(warnings_of(text)
        == std::vector<std::string>{
          "w.toml:10:3: warning: orders[2]: order \"s\" has the same "
          "idempotency key as order \"b\" (orders[1], line 5), "
          "\"T1:AAPL:5:MKT:T:v1\": the exchange takes them for one order "
          "(the key holds no side; a different timestamp gives another key)"});

  SECTION("a third is reported against the first") {
    CHECK(warnings_of(text + "[[orders]]\nid = \"t\"\nquantity = 5\n"
                             "timestamp = \"T\"\n")
            .back()
          == "w.toml:15:1: warning: orders[3]: order \"t\" has the same "
             "idempotency key as order \"b\" (orders[1], line 5), "
             "\"T1:AAPL:5:MKT:T:v1\": the exchange takes them for one order "
             "(the key holds no side; a different timestamp gives another "
             "key)");
  }
  SECTION("the default timestamp, t+<at>, keeps orders at different times "
          "apart, not at one time") {
    auto two = priced + "[[orders]]\nid = \"a\"\n[[orders]]\nid = \"b\"\n"
                        "at = \"1ns\"\n";
    CHECK(warnings_of(two).empty());
    auto same = priced + "[[orders]]\nid = \"a\"\n[[orders]]\nid = \"b\"\n";
    CHECK(warnings_of(same)
          == std::vector<std::string>{
            "w.toml:6:1: warning: orders[2]: order \"b\" has the same "
            "idempotency key as order \"a\" (orders[1], line 4), "
            "\"T1:AAPL:1:MKT:t+0:v1\": the exchange takes them for one order "
            "(the key holds no side; a different timestamp gives another "
            "key)"});
  }
  SECTION("not when the file expects the distinct_keys violation") {
    CHECK(warnings_of("expect_violations = [\"distinct_keys\"]\n" + text)
            .empty());
  }
  SECTION("not for another executor kind: it makes its own keys") {
    CHECK(warnings_of(text
                      + "[executor]\nkind = \"process\"\ncommand = [\"x\"]\n")
            .empty());
  }
}

TEST_CASE("warning: an order on a symbol without a price rests",
          "[scenario_loader][warnings]") {
  SECTION("a typo, at its symbol") {
    CHECK(warnings_of(priced + "[[orders]]\nid = \"o1\"\nsymbol = \"ZZZZ\"\n")
          == std::vector<std::string>{
            "w.toml:6:10: warning: orders[1].symbol: order \"o1\": symbol "
            "\"ZZZZ\" has no price in [exchange.prices], so it will rest "
            "unfilled (priced: AAPL)"});
  }
  SECTION("one warning per symbol, at its first order, counting the rest") {
    auto text = priced
                + "[[orders]]\nid = \"a\"\nsymbol = \"MSFT\"\n"
                  "[[orders]]\nid = \"b\"\nsymbol = \"MSFT\"\nat = \"1s\"\n"
                  "[[orders]]\nid = \"c\"\nsymbol = \"MSFT\"\nat = \"2s\"\n"
                  "[[orders]]\nid = \"d\"\nsymbol = \"IBM\"\n";
    CHECK(warnings_of(text)
          == std::vector<std::string>{
            "w.toml:6:10: warning: orders[1].symbol: order \"a\": symbol "
            "\"MSFT\" has no price in [exchange.prices], so it and 2 more "
            "orders on it will rest unfilled (priced: AAPL)",
            "w.toml:17:10: warning: orders[4].symbol: order \"d\": symbol "
            "\"IBM\" has no price in [exchange.prices], so it will rest "
            "unfilled (priced: AAPL)"});
  }
  SECTION("the default symbol, with no prices at all, at the order") {
    CHECK(warnings_of("name = \"w\"\n[[orders]]\nid = \"o1\"\nprice = \"1\"\n")
          == std::vector<std::string>{
            "w.toml:2:1: warning: orders[1]: order \"o1\": symbol \"AAPL\" "
            "(the default) has no price in [exchange.prices], so it will "
            "rest unfilled (no symbol has a price)"});
  }
  SECTION("listed in [exchange] symbols but without a price: it rests") {
    CHECK(warnings_of("name = \"w\"\n[exchange]\nsymbols = [\"AAPL\", "
                      "\"ZZZZ\"]\n[exchange.prices]\nAAPL = \"1\"\n"
                      "[[orders]]\nid = \"o1\"\nsymbol = \"ZZZZ\"\n")
            .size()
          == 1);
  }
  SECTION("not listed in [exchange] symbols: no warning, the exchange "
          "rejects it with INVALID_SYMBOL (it does not rest)") {
    CHECK(warnings_of("name = \"w\"\n[exchange]\nsymbols = [\"AAPL\"]\n"
                      "[exchange.prices]\nAAPL = \"1\"\n"
                      "[[orders]]\nid = \"o1\"\nsymbol = \"ZZZZ\"\n")
            .empty());
  }
}

TEST_CASE("warnings: by line; none for a file with errors; the file still "
          "loads",
          "[scenario_loader][warnings]") {
  auto text = "name = \"w\"\n[[orders]]\nid = \"a\"\n[[orders]]\nid = \"b\"\n"
              "symbol = \"X\"\n";
  auto w = warnings_of(text);
  REQUIRE(w.size() == 2); // different symbols: different keys
  CHECK(w[0].rfind("w.toml:2:1: warning: orders[1]: order \"a\": symbol "
                   "\"AAPL\"",
                   0)
        == 0);
  CHECK(w[1].rfind("w.toml:6:10: warning: orders[2].symbol: order \"b\": "
                   "symbol \"X\"",
                   0)
        == 0);
  auto broken = load_scenario_text(std::string(text) + "seed = \"x\"\n",
                                   "w.toml");
  CHECK_FALSE(broken.errors.empty());
  CHECK(broken.warnings.empty());
}

TEST_CASE("a check fault may name attempt 0 (a poll before the first "
          "submit); other kinds may not",
          "[scenario_loader]") {
  auto s = load_good(R"(
name = "poll first"
[[orders]]
id = "o1"
[[faults]]
order = "o1"
attempt = 0
kind = "check_drop"
)");
  REQUIRE(s.faults.size() == 1);
  CHECK(s.faults[0].attempt == 0);
  CHECK(load_bad(R"(
name = "poll first"
[[orders]]
id = "o1"
[[faults]]
attempt = -1
kind = "check_fail"
[[faults]]
attempt = 0
kind = "reject"
code = "X"
)") == std::vector<std::string>{
           "bad.toml:6:11: faults[1].attempt: must be >= 0 (got -1)",
           "bad.toml:9:11: faults[2].attempt: must be >= 1 (got 0)"});
}
