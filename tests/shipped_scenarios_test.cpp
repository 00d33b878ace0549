// Every scenario shipped under scenarios/ passes, run in-process with a
// recording (so its [[check]]s run); and `execsim run` fails a file whose
// expectation is wrong with exit status 1 and the mismatch printed.
#include "sim/recording.hpp"
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace execsim;

namespace {

namespace fs = std::filesystem;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;


/// Scenario files under scenarios/, recursively, sorted; scenarios/backtest
/// and scenarios/examples are not plain runs and are left out.
std::vector<std::string> shipped_scenarios() {
  const fs::path root = fs::path(EXECSIM_SOURCE_DIR) / "scenarios";
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(root);
       it != fs::recursive_directory_iterator(); ++it) {
    auto rel = it->path().lexically_relative(root);
    auto top = rel.begin()->string();
    if (it->is_directory() && (top == "backtest" || top == "examples"
                               || top == "venues")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".toml")
      out.push_back(it->path().lexically_normal().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe(const run_outcome& out) {
  std::string t;
  if (!out.error.empty())
    t += "error: " + out.error + "\n";
  for (const auto& f : out.failures)
    t += fmt::format("{}: {}\n{}", f.order, f.message, f.timeline);
  for (const auto& c : out.check_failures)
    t += c + "\n";
  for (const auto& v : out.violations)
    t += fmt::format("violation {} {}: {}\n", v.invariant,
                     v.order_id.value_or("-"), v.detail);
  return t;
}


void spit(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
}

struct command_result {
  int status = -1;
  std::string output;
};

/// Runs `execsim <args>` with stdout and stderr to a file.
command_result run_execsim(const scratch_dir& dir, const std::string& args) {
  auto out_path = dir.file("output.txt");
  auto cmd = fmt::format("'{}' {} > '{}' 2>&1", EXECSIM_BINARY, args, out_path);
  int raw = std::system(cmd.c_str());
  command_result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.output = slurp(out_path);
  return r;
}

std::int64_t scalar(recording& db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt, nullptr)
          == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  auto v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return v;
}

const char* const wrong_expectation = R"(name = "a wrong expectation"
description = "a success on the first attempt, expected with 5 retries"

[exchange]
latency = "10ms"
[exchange.prices]
AAPL = "150.25"

[[orders]]
id = "o1"

[[expect]]
order = "o1"
success = true
retry_count = 5
)";

} // namespace

TEST_CASE("shipped scenarios: every file passes", "[scenarios]") {
  auto files = shipped_scenarios();
  // order-executor (14), faults (13), spec (3), residual-risks (4), load (1),
  // key-format (1).
  REQUIRE(files.size() >= 36);

  scratch_dir dir;
  std::string open_error;
  auto db = recording::open(dir.file("shipped.sqlite"), open_error);
  INFO(open_error);
  REQUIRE(db);

  std::size_t failed = 0;
  for (const auto& file : files) {
    INFO(file);
    auto loaded = load_scenario_file(file);
    std::string errors;
    for (const auto& e : loaded.errors)
      errors += e.to_string() + "\n";
    INFO(errors);
    REQUIRE(loaded.value);
    run_options opt;
    opt.db = db.get();
    auto out = run_scenario(*loaded.value, opt);
    INFO(describe(out));
    CHECK(out.run_id != 0);
    CHECK(out.pass);
    if (!out.pass)
      ++failed;
  }
  REQUIRE(failed == 0);
  // Every run was recorded with its verdict.
  CHECK(scalar(*db, "SELECT count(*) FROM runs WHERE verdict = 'pass'")
        == static_cast<std::int64_t>(files.size()));
}

TEST_CASE("shipped scenarios: the six areas are all there", "[scenarios]") {
  auto files = shipped_scenarios();
  auto count_under = [&](const std::string& dir) {
    auto prefix = (fs::path(EXECSIM_SOURCE_DIR) / "scenarios" / dir)
                    .lexically_normal()
                    .string()
                  + "/";
    return std::count_if(files.begin(), files.end(), [&](const auto& f) {
      return f.rfind(prefix, 0) == 0;
    });
  };
  CHECK(count_under("order-executor") >= 14);
  CHECK(count_under("faults") >= 8);
  CHECK(count_under("spec") >= 3);
  CHECK(count_under("residual-risks") >= 4);
  CHECK(count_under("load") >= 1);
  CHECK(count_under("key-format") >= 1);
}

TEST_CASE("shipped scenarios: execsim run fails a wrong expectation with "
          "exit status 1",
          "[scenarios]") {
  scratch_dir dir;
  auto file = dir.file("wrong.toml");
  spit(file, wrong_expectation);
  auto r = run_execsim(dir, fmt::format("run --db '{}' '{}'",
                                        dir.file("run.sqlite"), file));
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("retry_count: expected 5, got 0") != std::string::npos);
  CHECK(r.output.find("FAIL") != std::string::npos);

  SECTION("the same file with the right expectation exits 0") {
    std::string right = wrong_expectation;
    right.replace(right.find("retry_count = 5"), 15, "retry_count = 0");
    spit(file, right);
    auto ok = run_execsim(dir, fmt::format("run --db '{}' '{}'",
                                           dir.file("run.sqlite"), file));
    INFO(ok.output);
    CHECK(ok.status == 0);
    CHECK(ok.output.find("1 passed, 0 failed") != std::string::npos);
  }
  SECTION("a bad duration exits 2 with file:line:column") {
    std::string bad = wrong_expectation;
    bad.replace(bad.find("latency = \"10ms\""), 16, "latency = 10");
    spit(file, bad);
    auto err = run_execsim(dir, fmt::format("run --db '{}' '{}'",
                                            dir.file("run.sqlite"), file));
    INFO(err.output);
    CHECK(err.status == 2);
    CHECK(err.output.find(file + ":5:") != std::string::npos);
  }
}
