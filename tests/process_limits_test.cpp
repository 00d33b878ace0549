// Process hangs and floods (#21): a program that never reads its stdin, one
// that floods actions without "ready", stderr without a newline and a line
// past the limit are errors within the wall-clock limit, with bounded
// memory; the program's whole process group is ended. The limits are
// lowered through their environment variables so each test is quick.
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace execsim;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

/// Sets an environment variable for one scope.
class env_var {
public:
  env_var(const char* name, const char* value) : name_(name) {
    setenv(name, value, 1);
  }
  ~env_var() {
    unsetenv(name_);
  }
  env_var(const env_var&) = delete;
  env_var& operator=(const env_var&) = delete;

private:
  const char* name_;
};

/// A one-order scenario whose executor is `command` (TOML array text).
scenario with_program(const std::string& command,
                      const std::string& trader = "T1") {
  auto text = fmt::format(R"(name = "program under test"
[executor]
kind = "process"
command = {}
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
trader = "{}"
)",
                          command, trader);
  auto r = load_scenario_text(text, "program.toml");
  REQUIRE(r.errors.empty());
  return *r.value;
}

struct timed_outcome {
  run_outcome out;
  double wall_s = 0;
};

timed_outcome timed_run(const scenario& sc) {
  auto t0 = std::chrono::steady_clock::now();
  timed_outcome r;
  r.out = run_scenario(sc, run_options{});
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                           - t0)
               .count();
  return r;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size()
         && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Whether process `pid` is gone (or a zombie nobody reaped yet) within a
/// second: a killed process dies when it is next scheduled.
bool process_ended(const std::string& pid) {
  for (int i = 0; i < 100; ++i) {
    auto stat = slurp("/proc/" + pid + "/stat");
    auto close = stat.rfind(')');
    if (stat.empty()
        || (close != std::string::npos && stat.size() > close + 2
            && stat[close + 2] == 'Z'))
      return true;
    usleep(10'000);
  }
  return false;
}

} // namespace

TEST_CASE("a program that never reads its stdin cannot block a write past "
          "the limit",
          "[process][limits]") {
  env_var timeout("EXECSIM_PROCESS_TIMEOUT_MS", "300");
  // The execute message carries a 200 KB trader: more than a pipe holds.
  auto r = timed_run(with_program(R"(["sh", "-c", "sleep 30"])",
                                  std::string(200'000, 'T')));
  CHECK(r.out.executor_broken);
  CHECK(starts_with(r.out.error, "executor program \"sh -c sleep 30\" did not "
                                 "read its stdin within 300 ms ("));
  CHECK(ends_with(r.out.error, "bytes written) while handling execute o1 (it "
                               "wrote nothing on stderr)"));
  CHECK(r.wall_s < 2.0);
}

TEST_CASE("a program flooding actions without ready is stopped at the "
          "action limit",
          "[process][limits]") {
  env_var actions("EXECSIM_PROCESS_MAX_ACTIONS", "1000");
  auto r = timed_run(with_program(
    R"(["sh", "-c", "read line; yes '{\"type\":\"set_timer\",\"order_id\":\"o1\",\"id\":1,\"after_ns\":1}'"])"));
  CHECK(r.out.executor_broken);
  CHECK(starts_with(r.out.error, "executor program \"sh -c read line; yes "));
  CHECK(ends_with(r.out.error, "sent more than 1000 actions without \"ready\" "
                               "while handling execute o1 (it wrote nothing "
                               "on stderr)"));
  CHECK(r.wall_s < 2.0);
}

TEST_CASE("a line past the line limit is an error", "[process][limits]") {
  SECTION("the default limit, 1 MiB") {
    auto r = timed_run(with_program(
      R"(["sh", "-c", "read line; head -c 2000000 /dev/zero | tr '\\0' x; echo; sleep 30"])"));
    CHECK(r.out.executor_broken);
    CHECK(ends_with(r.out.error, "wrote a line longer than 1048576 bytes (its "
                                 "stdout line 1) while handling execute o1 "
                                 "(it wrote nothing on stderr)"));
    CHECK(r.wall_s < 2.0);
  }
  SECTION("EXECSIM_PROCESS_MAX_LINE_BYTES") {
    env_var bytes("EXECSIM_PROCESS_MAX_LINE_BYTES", "100");
    auto r = timed_run(with_program(
      R"(["sh", "-c", "read line; head -c 101 /dev/zero | tr '\\0' x; echo; sleep 30"])"));
    CHECK(r.out.executor_broken);
    CHECK(ends_with(r.out.error, "wrote a line longer than 100 bytes (its "
                                 "stdout line 1) while handling execute o1 "
                                 "(it wrote nothing on stderr)"));
  }
}

TEST_CASE("stderr kept for errors is bounded and cut with a marker",
          "[process][limits]") {
  SECTION("a megabyte without a newline") {
    env_var kept("EXECSIM_PROCESS_STDERR_BYTES", "100");
    auto r = timed_run(with_program(
      R"(["sh", "-c", "read line; head -c 1000000 /dev/zero | tr '\\0' x >&2; exit 3"])"));
    CHECK(r.out.executor_broken);
    CHECK(ends_with(r.out.error,
                    "exited with status 3 while handling execute o1; its last "
                    "stderr lines:\n    [... 999900 earlier bytes of stderr "
                    "cut]\n    "
                      + std::string(100, 'x')));
  }
  SECTION("an endless flood of lines: the last ten lines") {
    env_var timeout("EXECSIM_PROCESS_TIMEOUT_MS", "300");
    auto r = timed_run(
      // One write per line (echo is a shell builtin): `yes` writes 8 KiB
      // blocks, so the flood could end inside a line when the program dies.
      with_program(R"(["sh", "-c", "read line; while :; do echo 'spam spam' >&2; done"])"));
    CHECK(r.out.executor_broken);
    std::string ten;
    for (int i = 0; i < 10; ++i)
      ten += "\n    spam spam";
    CHECK(r.out.error.find("did not answer within 300 ms (no \"ready\" line) "
                           "while handling execute o1; its last stderr "
                           "lines:\n    [... ")
          != std::string::npos);
    CHECK(ends_with(r.out.error, " earlier bytes of stderr cut]" + ten));
    CHECK(r.wall_s < 2.0);
  }
}

TEST_CASE("the program's whole process group is ended", "[process][limits]") {
  scratch_dir scratch;
  auto pidfile = scratch.file("child.pid");
  SECTION("when it fails") {
    auto r = timed_run(with_program(fmt::format(
      R"(["sh", "-c", "sleep 30 & echo $! > {}; read line; exit 3"])",
      pidfile)));
    CHECK(r.out.executor_broken);
    auto pid = slurp(pidfile);
    pid = pid.substr(0, pid.find('\n'));
    REQUIRE_FALSE(pid.empty());
    CHECK(process_ended(pid));
    CHECK(r.wall_s < 2.0);
  }
  SECTION("when a healthy program's execsim exits") {
    std::ofstream(scratch.file("bg.toml")) << fmt::format(
      R"(name = "program with a background child"
[executor]
kind = "process"
command = ["sh", "-c", "sleep 30 & echo $! > {}; exec python3 {}/scenarios/examples/original_executor.py"]
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)",
      pidfile, EXECSIM_SOURCE_DIR);
    auto cmd = fmt::format("{} run {} --db {} > {} 2>&1", EXECSIM_BINARY,
                           scratch.file("bg.toml"), scratch.file("r.sqlite"),
                           scratch.file("out.txt"));
    auto status = std::system(cmd.c_str());
    INFO(slurp(scratch.file("out.txt")));
    CHECK(status == 0);
    auto pid = slurp(pidfile);
    pid = pid.substr(0, pid.find('\n'));
    REQUIRE_FALSE(pid.empty());
    CHECK(process_ended(pid));
  }
}
