// The minimal files of every shipped exploration (#18): what `execsim
// explore --out` writes for each scenario with an [explore] table under
// scenarios/ (found at test time, so a new one is covered) reads in the
// reference's order, says where it came from, and passes under `execsim
// run` by breaking exactly the invariant it expects.
#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

namespace fs = std::filesystem;

const std::string source_dir = EXECSIM_SOURCE_DIR;

/// Shipped scenario files with an [explore] table, sorted.
std::vector<std::string> shipped_explorations() {
  std::vector<std::string> files;
  for (const auto& e :
       fs::recursive_directory_iterator(source_dir + "/scenarios"))
    if (e.path().extension() == ".toml"
        && slurp(e.path().string()).find("\n[explore]") != std::string::npos)
      files.push_back(fs::relative(e.path(), source_dir).string());
  std::sort(files.begin(), files.end());
  return files;
}

/// Where each part starts in `text` (npos when absent), in the order the
/// reference gives: name, description, seed, executor, exchange, orders,
/// faults, expect_violations.
std::vector<std::size_t> part_positions(const std::string& text) {
  std::vector<std::size_t> at;
  for (const char* re :
       {"^name = ", "^description = ", "^seed = ", "^\\[?executor[.\\]]",
        "^\\[?exchange[.\\]]", "^(orders = |\\[\\[orders\\]\\])",
        "^(faults = |\\[\\[faults\\]\\])", "^expect_violations = "}) {
    std::smatch m;
    std::regex r(re, std::regex::multiline);
    at.push_back(std::regex_search(text, m, r)
                   ? static_cast<std::size_t>(m.position(0))
                   : std::string::npos);
  }
  return at;
}

/// The invariant the file's comment block names.
std::string invariant_of(const std::string& text) {
  std::smatch m;
  std::regex r("^# invariant: +([a-z_]+)$", std::regex::multiline);
  return std::regex_search(text, m, r) ? m[1].str() : "";
}

} // namespace

TEST_CASE("every shipped exploration's minimal files read in the "
          "reference's order and reproduce under execsim run",
          "[explore]") {
  auto files = shipped_explorations();
  REQUIRE(files.size() >= 6);
  for (const auto& file : files) {
    DYNAMIC_SECTION(file) {
      scratch_dir dir;
      auto out = dir.file("out");
      auto r = execsim_cli(dir, fmt::format("explore {} --seeds 500 -j 2 "
                                            "--out {} --db {} -q",
                                            file, out, dir.file("e.sqlite")));
      INFO(r.out);
      // Two find nothing by design: execsim's own defaults, and the
      // backtest's settings file; every other one finds its bug.
      bool finds_nothing = file == "scenarios/explore/defaults.toml"
                           || file == "scenarios/backtest/settings.toml";
      REQUIRE(r.status == (finds_nothing ? 0 : 1));
      std::size_t written = 0;
      if (fs::is_directory(out))
        for (const auto& e : fs::directory_iterator(out)) {
        auto text = slurp(e.path().string());
        INFO(e.path().string() << ":\n" << text);
        // The comment block first: the seed and the invariant.
        ++written;
        CHECK(text.rfind("# Minimal scenario shrunk by execsim", 0) == 0);
        CHECK_THAT(text, Catch::Contains("\n# seed:      "));
        auto inv = invariant_of(text);
        CHECK_FALSE(inv.empty());
        auto at = part_positions(text);
        CHECK(at[0] != std::string::npos); // name
        CHECK(at[7] != std::string::npos); // expect_violations
        std::vector<std::size_t> present;
        for (auto p : at)
          if (p != std::string::npos)
            present.push_back(p);
        CHECK(std::is_sorted(present.begin(), present.end()));
        CHECK_THAT(text, Catch::Contains(fmt::format(
                           "expect_violations = [\"{}\"]", inv)));
        auto run = execsim_cli(dir, fmt::format("run {} --db {}",
                                                e.path().string(),
                                                dir.file("r.sqlite")));
        INFO(run.out);
        CHECK(run.status == 0);
        CHECK_THAT(run.out, Catch::Contains("1 passed, 0 failed, 0 errors"));
      }
      if (finds_nothing)
        CHECK(written == 0);
      else
        CHECK(written >= 1);
    }
  }
}
