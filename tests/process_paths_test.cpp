// A process executor's program is found from the scenario file's directory
// wherever execsim runs: in minimal files that `explore --out` writes
// elsewhere, and when `replay` re-runs a recorded run from another
// directory; a program that cannot be started is "could not be replayed",
// exit 2, never a difference in the code under test.
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_paths.hpp"
#include "sim/scenario_writer.hpp"

#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::execsim_cli;
using execsim::testing::execsim_cli_in;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace fs = std::filesystem;

namespace {

const std::string source_dir = EXECSIM_SOURCE_DIR;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

/// A one-order process scenario whose program is `prog.py` beside it (a
/// copy of the example's original service), in directory `dir`.
std::string process_scenario(const scratch_dir& dir) {
  fs::create_directories(dir.file("sc"));
  fs::copy_file(source_dir + "/scenarios/examples/original_executor.py",
                dir.file("sc/prog.py"));
  return dir.write("sc/s.toml", R"(name = "process run for replay"
[executor]
kind = "process"
command = ["python3", "prog.py"]
submit_timeout = "500ms"
[exchange]
latency = "10ms"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
quantity = 100
[[faults]]
order = "o1"
attempt = 1
kind = "drop_ack"
)");
}

} // namespace

TEST_CASE("command arguments naming files beside the scenario are written "
          "relative to where the file is written",
          "[process][scenario_writer]") {
  scratch_dir dir;
  dir.write("prog.sh", "exit 0\n");
  fs::create_directories(dir.file("sub/deeper"));
  auto file = dir.file("s.toml");
  std::vector<std::string> argv = {"sh", "prog.sh", "--flag", "/bin/sh"};
  CHECK(portable_command(argv, file, dir.file("sub/deeper"))
        == std::vector<std::string>{"sh", "../../prog.sh", "--flag",
                                    "/bin/sh"});
  CHECK(portable_command(argv, file, dir.path())
        == std::vector<std::string>{"sh", "prog.sh", "--flag", "/bin/sh"});
  CHECK(portable_command(argv, file, "")
        == std::vector<std::string>{"sh", dir.file("prog.sh"), "--flag",
                                    "/bin/sh"});
  // The program itself keeps a '/', or the system would search PATH.
  CHECK(portable_command({"./prog.sh"}, file, dir.path())
        == std::vector<std::string>{"./prog.sh"});
  CHECK(portable_command({"./prog.sh"}, file, dir.file("sub"))
        == std::vector<std::string>{"../prog.sh"});
  CHECK(portable_command({"prog.sh"}, file, dir.file("sub"))
        == std::vector<std::string>{"prog.sh"});
  // The run resolves the written file's paths back to the same program.
  CHECK(resolve_command({"sh", "../../prog.sh"},
                        dir.file("sub/deeper/min.toml"))
        == std::vector<std::string>{"sh", dir.file("sub/deeper/../../prog.sh")});
}

TEST_CASE("every minimal file shrunk from a process-executor exploration "
          "runs from where it is written",
          "[process][explore][cli]") {
  scratch_dir dir;
  auto out_dir = dir.file("elsewhere/out");
  auto r = execsim_cli(
    dir, fmt::format("explore scenarios/examples/explore-original.toml "
                     "--seeds 60 -q --out {} --db {}",
                     out_dir, dir.file("e.sqlite")));
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK_FALSE(has(r.out, "NOT reproduced"));
  auto files = files_in(out_dir);
  // seed 14 breaks one_fill_per_key, seed 40 result_matches_exchange.
  REQUIRE(files == std::vector<std::string>{
                     out_dir + "/explore-original-seed14-min.toml",
                     out_dir + "/explore-original-seed40-min.toml"});
  auto program = fs::relative(source_dir
                                + "/scenarios/examples/original_executor.py",
                              out_dir)
                   .string();
  for (const auto& f : files) {
    INFO(f);
    CHECK(has(slurp(f),
              fmt::format("executor.command = [\"python3\", \"{}\"]", program)));
    // From a third directory: the file fails as it says it does (its
    // expect_violations), so the run passes.
    auto run = execsim_cli_in(dir.path(), dir,
                              fmt::format("run {} --db {}", f,
                                          dir.file("min.sqlite")));
    INFO(run.out);
    CHECK(run.status == 0);
    CHECK(has(run.out, "1 passed, 0 failed, 0 errors"));
  }
}

TEST_CASE("replay of a process run resolves the program as the run did, "
          "from any directory",
          "[process][replay][cli]") {
  scratch_dir dir;
  process_scenario(dir);
  auto db = dir.file("r.sqlite");
  // Recorded with a path relative to the run's directory.
  auto run = execsim_cli_in(dir.file("sc"), dir,
                            fmt::format("run s.toml --db {}", db));
  INFO(run.out);
  REQUIRE(run.status == 0);
  fs::create_directories(dir.file("other"));
  auto replay = execsim_cli_in(dir.file("other"), dir,
                               fmt::format("replay 1 --db {} --allow-process",
                                           db));
  INFO(replay.out);
  CHECK(replay.status == 0);
  CHECK(has(replay.out, fmt::format("execsim replay: running the recorded "
                                    "process executor: python3 {}\n",
                                    dir.file("sc/prog.py"))));
  CHECK(has(replay.out, "identical  (run 1, digest "));
}

TEST_CASE("replay of a process run whose program cannot be started says "
          "the run could not be replayed, exit 2",
          "[process][replay][cli]") {
  scratch_dir dir;
  process_scenario(dir);
  auto db = dir.file("r.sqlite");
  REQUIRE(execsim_cli_in(dir.file("sc"), dir,
                         fmt::format("run s.toml --db {}", db))
            .status
          == 0);
  SECTION("the program is gone") {
    fs::remove(dir.file("sc/prog.py"));
    auto replay = execsim_cli_in(dir.path(), dir,
                                 fmt::format("replay 1 --db {} "
                                             "--allow-process",
                                             db));
    INFO(replay.out);
    CHECK(replay.status == 2);
    // python3 starts, the script is gone: it exits at once.
    CHECK(has(replay.out,
              "execsim replay: run 1 could not be replayed: executor program "
              "\"python3 prog.py\" exited with status 2 while handling "
              "execute o1; its last stderr lines:\n"));
    CHECK(has(replay.out, "prog.py"));
    CHECK_FALSE(has(replay.out, "different"));
  }
  SECTION("the interpreter is gone") {
    // A recorded run of a program that does not exist here.
    auto r = testing::sqlite3_cli(
      db, "UPDATE runs SET scenario_text = replace(scenario_text, "
          "'python3', 'no-such-python-execsim')");
    REQUIRE(r == 0);
    auto replay = execsim_cli_in(dir.path(), dir,
                                 fmt::format("replay 1 --db {} "
                                             "--allow-process",
                                             db));
    INFO(replay.out);
    CHECK(replay.status == 2);
    CHECK(replay.out
          == "execsim replay: running the recorded process executor: "
             "no-such-python-execsim " + dir.file("sc/prog.py") + "\n"
             "execsim replay: run 1 could not be replayed: executor program "
             "\"no-such-python-execsim " + dir.file("sc/prog.py")
               + "\" could not be started: No such file or directory\n");
  }
}

TEST_CASE("an asyncio scenario written elsewhere names its factory's module "
          "relative to where it is written, and runs",
          "[asyncio][scenario_writer]") {
  auto loaded = load_scenario_file(
    source_dir + "/scenarios/examples/asyncio/01_success_first_attempt.toml");
  REQUIRE(loaded.value);
  scratch_dir dir;
  auto out_dir = dir.file("out");
  fs::create_directories(out_dir);
  auto text = to_toml(*loaded.value, out_dir);
  auto module_dir =
    fs::relative(source_dir + "/scenarios/examples/asyncio", out_dir);
  CHECK(has(text, fmt::format("executor.factory = \"{}/execsim_adapter:make_executor\"",
                              module_dir.string())));
  CHECK(has(text, "executor.python = \"python3\""));
  auto moved = load_scenario_file(dir.write("out/min.toml", text));
  REQUIRE(moved.errors.empty());
  auto out = run_scenario(*moved.value, run_options{});
  INFO(out.error);
  CHECK(out.pass);
}

TEST_CASE("a program that cannot be executed is 'could not be started' "
          "with the system's reason",
          "[process]") {
  scratch_dir dir;
  dir.write("prog.sh", "echo never\n"); // not executable
  auto run = [&](const std::string& command) {
    auto r = load_scenario_file(dir.write("s.toml", fmt::format(R"(name = "x"
[executor]
kind = "process"
command = {}
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
)",
                                                              command)));
    REQUIRE(r.errors.empty());
    return run_scenario(*r.value, run_options{});
  };
  auto missing = run(R"(["no-such-program-execsim", "x"])");
  CHECK(missing.executor_broken);
  CHECK(missing.error == "executor program \"no-such-program-execsim x\" "
                         "could not be started: No such file or directory");
  auto denied = run(R"(["./prog.sh"])");
  CHECK(denied.executor_broken);
  CHECK(denied.error == "executor program \"" + dir.file("./prog.sh")
                          + "\" could not be started: Permission denied");
}
