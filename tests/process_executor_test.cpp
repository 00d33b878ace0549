// The process executor protocol: the Python example passes the seed
// behaviours and finds the residual risks; a crashing, hanging or
// garbage-writing program is a clear error, exit 2, never a pass.
#include "libexec/explore/explorer.hpp"
#include "sim/recording.hpp"
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

using namespace execsim;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

const std::string source_dir = EXECSIM_SOURCE_DIR;

scenario load_file(const std::string& rel) {
  auto r = load_scenario_file(source_dir + "/" + rel);
  REQUIRE(r.errors.empty());
  return *r.value;
}

/// A one-order scenario whose executor is `command` (TOML array text).
scenario with_program(const std::string& command) {
  auto text = fmt::format(R"(name = "program under test"
[executor]
kind = "process"
command = {}
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)",
                          command);
  auto r = load_scenario_text(text, "program.toml");
  REQUIRE(r.errors.empty());
  return *r.value;
}



} // namespace

TEST_CASE("the Python port of the original service passes its scenario",
          "[process]") {
  auto sc = load_file("scenarios/examples/process-timeout-after-fill.toml");
  auto a = run_scenario(sc, run_options{});
  INFO(a.error);
  CHECK(a.pass);
  CHECK(a.successes == 1);
  CHECK(a.fills == 1);
  CHECK(a.virtual_end == 520'000'000);
  SECTION("same file, seed and program: same digest") {
    auto b = run_scenario(sc, run_options{});
    CHECK(b.digest == a.digest);
  }
}

TEST_CASE("exploring the Python executor finds both residual risks",
          "[process][explore]") {
  auto sc = load_file("scenarios/examples/explore-original.toml");
  explore_settings s;
  s.seeds = 60;
  s.jobs = 2;
  auto report = explore(sc, s);
  std::set<std::string> found;
  for (const auto& f : report.failures)
    for (const auto& [name, n] : f.violation_counts)
      found.insert(name);
  CHECK(found.count("one_fill_per_key") == 1);
  CHECK(found.count("result_matches_exchange") == 1);
  SECTION("the same failing seeds as the built-in executor configured like "
          "the original service") {
    auto builtin = explore(load_file("scenarios/explore/original-service.toml"),
                           s);
    std::vector<std::uint64_t> a;
    std::vector<std::uint64_t> b;
    for (const auto& f : report.failures)
      a.push_back(f.seed);
    for (const auto& f : builtin.failures)
      b.push_back(f.seed);
    CHECK(a == b);
  }
}

TEST_CASE("a crashing program is a clear error", "[process]") {
  auto sc = with_program(R"(["sh", "-c", "read line; echo 'boom: cannot connect' >&2; exit 3"])");
  auto out = run_scenario(sc, run_options{});
  CHECK_FALSE(out.pass);
  CHECK(out.executor_broken);
  CHECK(out.error
        == "executor program \"sh -c read line; echo 'boom: cannot connect' "
           ">&2; exit 3\" exited with status 3 while handling execute o1; "
           "its last stderr lines:\n    boom: cannot connect");
}

TEST_CASE("a hanging program is a clear error", "[process]") {
  setenv("EXECSIM_PROCESS_TIMEOUT_MS", "300", 1);
  auto sc = with_program(R"(["sh", "-c", "read line; sleep 30"])");
  auto out = run_scenario(sc, run_options{});
  unsetenv("EXECSIM_PROCESS_TIMEOUT_MS");
  CHECK(out.executor_broken);
  CHECK(out.error
        == "executor program \"sh -c read line; sleep 30\" did not answer "
           "within 300 ms (no \"ready\" line) while handling execute o1 (it "
           "wrote nothing on stderr)");
}

TEST_CASE("a program writing garbage is a clear error", "[process]") {
  auto sc = with_program(R"(["sh", "-c", "read line; echo hello; sleep 5"])");
  auto out = run_scenario(sc, run_options{});
  CHECK(out.executor_broken);
  CHECK(out.error
        == "executor program \"sh -c read line; echo hello; sleep 5\" sent "
           "an invalid line while handling execute o1: it is not JSON "
           "(syntax error at byte 1); its stdout line 1: hello (it wrote "
           "nothing on stderr)");
}

TEST_CASE("a program sending an invalid action is a clear error",
          "[process]") {
  auto sc = with_program(
    R"(["sh", "-c", "read line; echo '{\"type\":\"submit\",\"order_id\":\"o1\"}'; echo '{\"type\":\"ready\"}'; sleep 5"])");
  auto out = run_scenario(sc, run_options{});
  CHECK(out.executor_broken);
  CHECK(out.error.find("sent an invalid line while handling execute o1: "
                       "submit: \"attempt\" is missing; its stdout line 1: "
                       "{\"type\":\"submit\",\"order_id\":\"o1\"}")
        != std::string::npos);
}

TEST_CASE("execsim run exits 2 for a broken program and records a failure",
          "[process][cli]") {
  scratch_dir scratch;
  auto dir = scratch.path();
  std::ofstream(dir + "/crash.toml") << R"(name = "crashing executor"
[executor]
kind = "process"
command = ["sh", "-c", "exit 7"]
[[orders]]
id = "o1"
)";
  auto cmd = fmt::format("cd {0} && {1} run crash.toml --db {0}/r.sqlite > "
                         "{0}/out.txt 2>&1",
                         dir, EXECSIM_BINARY);
  auto status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  auto out = slurp(dir + "/out.txt");
  CHECK(out.find("ERROR crashing executor") != std::string::npos);
  CHECK(out.find("exited with status 7") != std::string::npos);
  CHECK(out.find("0 passed, 0 failed, 1 errors") != std::string::npos);
  std::string err;
  auto db = recording::open(dir + "/r.sqlite", err);
  REQUIRE(db);
  auto verdict = db->query_scalar("SELECT verdict FROM runs", 0, err);
  REQUIRE(verdict);
  CHECK(std::get<std::string>(*verdict) == "fail");
}
