// What stopped a run is stored with it (#15): a broken executor program's
// message (an invalid line, a crash with its stderr), a C++ executor's
// invalid call, in runs.error (schema version 3), and `execsim report`
// prints it. A run that finished normally has runs.error NULL.
#include "actors/executor/executor_api.hpp"
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>

#include <memory>
#include <string>

using namespace execsim;
using execsim::testing::execsim_cli_in;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

const std::string source_dir = EXECSIM_SOURCE_DIR;

/// A one-order scenario run by the process executor `command` (TOML array).
std::string program_case(const scratch_dir& dir, const std::string& command) {
  return dir.write("program.toml", fmt::format(R"(name = "broken program"
[executor]
kind = "process"
command = {}
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)",
                                               command));
}

/// An executor that submits attempt 0 on execute: an invalid call.
class submit_zero final : public executor_logic {
public:
  explicit submit_zero(executor_port& port) : port_(port) {
  }
  void on_execute() override {
    port_.submit(0, "k");
  }
  void on_submit_answer(const submit_answer&) override {
  }
  void on_check_answer(const check_answer&) override {
  }
  void on_timer(std::uint64_t) override {
  }

private:
  executor_port& port_;
};

} // namespace

TEST_CASE("a program's invalid line is stored in runs.error and shown by "
          "report",
          "[recording][run_error]") {
  scratch_dir dir;
  dir.write("script.txt", "hello\n");
  auto file = program_case(
    dir, fmt::format(R"(["python3", "{}/tests/programs/scripted.py", "script.txt"])",
                     source_dir));
  auto db = dir.file("r.sqlite");
  auto run = execsim_cli_in(dir.path(), dir, "run program.toml --db r.sqlite");
  INFO(run.out);
  CHECK(run.status == 2);
  auto message = fmt::format(
    "executor program \"python3 {}/tests/programs/scripted.py script.txt\" "
    "sent an invalid line while handling execute o1: it is not JSON (syntax "
    "error at byte 1); its stdout line 1: hello (it wrote nothing on stderr)",
    source_dir);
  {
    raw_db raw{db};
    CHECK(raw.rows("SELECT verdict, error FROM runs")
          == std::vector<std::vector<std::string>>{{"fail", message}});
  }
  auto report = execsim_cli_in(dir.path(), dir, "report --db r.sqlite");
  INFO(report.out);
  CHECK(report.status == 0);
  CHECK(report.out.find("  verdict      fail\n  error        " + message
                        + "\n  digest       ")
        != std::string::npos);
}

TEST_CASE("a crashing program's stderr lines are stored and reported under "
          "the message",
          "[recording][run_error]") {
  scratch_dir dir;
  program_case(dir, R"(["sh", "-c", "read line; echo 'boom: cannot connect' >&2; echo 'giving up' >&2; exit 3"])");
  auto run = execsim_cli_in(dir.path(), dir, "run program.toml --db r.sqlite");
  INFO(run.out);
  CHECK(run.status == 2);
  const std::string message =
    "executor program \"sh -c read line; echo 'boom: cannot connect' >&2; "
    "echo 'giving up' >&2; exit 3\" exited with status 3 while handling "
    "execute o1; its last stderr lines:\n    boom: cannot connect\n    "
    "giving up";
  {
    raw_db raw{dir.file("r.sqlite")};
    CHECK(raw.text("SELECT error FROM runs") == message);
  }
  auto report = execsim_cli_in(dir.path(), dir, "report --db r.sqlite");
  INFO(report.out);
  CHECK(report.status == 0);
  // Continuation lines stand under the message's first line.
  CHECK(report.out.find(
          "  error        executor program \"sh -c read line; echo 'boom: "
          "cannot connect' >&2; echo 'giving up' >&2; exit 3\" exited with "
          "status 3 while handling execute o1; its last stderr lines:\n"
          "                   boom: cannot connect\n"
          "                   giving up\n"
          "  digest       ")
        != std::string::npos);
}

TEST_CASE("a C++ executor's invalid call is stored in runs.error",
          "[recording][run_error]") {
  register_executor("run_error_submit_0", [](executor_port& port) {
    return std::make_unique<submit_zero>(port);
  });
  auto loaded = load_scenario_text(R"(name = "invalid call"
[executor]
kind = "run_error_submit_0"
[[orders]]
id = "o1"
)",
                                   "cpp.toml");
  REQUIRE(loaded.errors.empty());
  scratch_dir dir;
  std::string error;
  auto rec = recording::open(dir.file("r.sqlite"), error);
  REQUIRE(rec);
  run_options opt;
  opt.db = rec.get();
  auto out = run_scenario(*loaded.value, opt);
  CHECK(out.executor_broken);
  raw_db raw{dir.file("r.sqlite")};
  CHECK(raw.rows("SELECT verdict, error FROM runs")
        == std::vector<std::vector<std::string>>{
          {"fail", "executor \"run_error_submit_0\" made an invalid call for "
                   "order o1: submit(0, \"k\"): attempt 0 is out of range "
                   "1..1000"}});
}

TEST_CASE("a run that finished has no error, and report shows no error line",
          "[recording][run_error]") {
  scratch_dir dir;
  auto run = execsim_cli_in(
    source_dir, dir,
    fmt::format("run scenarios/order-executor/01_success_first_attempt.toml "
                "--db {}",
                dir.file("r.sqlite")));
  INFO(run.out);
  CHECK(run.status == 0);
  {
    raw_db raw{dir.file("r.sqlite")};
    CHECK(raw.rows("SELECT verdict, error FROM runs")
          == std::vector<std::vector<std::string>>{{"pass", "NULL"}});
  }
  auto report = execsim_cli_in(
    source_dir, dir, fmt::format("report --db {}", dir.file("r.sqlite")));
  CHECK(report.status == 0);
  CHECK(report.out.find("  verdict      pass\n  digest       ")
        != std::string::npos);
  CHECK(report.out.find("  error ") == std::string::npos);
}

TEST_CASE("a run stopped by a limit stores the limit's message",
          "[recording][run_error]") {
  auto loaded = load_scenario_text(R"(name = "limited"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)",
                                   "limited.toml");
  REQUIRE(loaded.errors.empty());
  scratch_dir dir;
  std::string error;
  auto rec = recording::open(dir.file("r.sqlite"), error);
  REQUIRE(rec);
  run_options opt;
  opt.db = rec.get();
  opt.limits.steps_max = 3;
  auto out = run_scenario(*loaded.value, opt);
  CHECK_FALSE(out.pass);
  raw_db raw{dir.file("r.sqlite")};
  CHECK(raw.rows("SELECT verdict, error FROM runs")
        == std::vector<std::vector<std::string>>{
          {"fail", "stopped: more than 3 messages (step limit)"}});
}
