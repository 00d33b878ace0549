// The folders are layers and includes only point down: sim/ below actors/
// below libexec/, and inside libexec/ each part uses only run/ and what the
// table below allows. An include that points up fails here, named by file
// and line, before it can tie two layers into one.
#include "tests/test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

/// Which folders a file in each folder may include from. A folder not
/// listed (the program's own libexec/main.cpp) may include anything.
const std::map<std::string, std::vector<std::string>>& allowed() {
  static const std::map<std::string, std::vector<std::string>> table{
    {"sim", {"sim"}},
    {"actors", {"sim", "actors"}},
    {"libexec/run", {"sim", "actors", "libexec/run"}},
    {"libexec/report", {"sim", "actors", "libexec/run", "libexec/report"}},
    {"libexec/explore", {"sim", "actors", "libexec/run", "libexec/explore"}},
    {"libexec/backtest", {"sim", "actors", "libexec/run", "libexec/backtest"}},
    {"libexec/conformance",
     {"sim", "actors", "libexec/run", "libexec/explore",
      "libexec/conformance"}},
    {"libexec/cli",
     {"sim", "actors", "libexec/run", "libexec/report", "libexec/explore",
      "libexec/conformance", "libexec/backtest", "libexec/cli"}},
    {"libexec/bench",
     {"sim", "actors", "libexec/run", "libexec/report", "libexec/explore",
      "libexec/conformance", "libexec/backtest", "libexec/cli",
      "libexec/bench"}},
  };
  return table;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0
         && (s.size() == prefix.size() || s[prefix.size()] == '/');
}

/// The most specific entry of allowed() that holds `file`, or nullptr.
const std::vector<std::string>* rule_for(const std::string& file,
                                         std::string& layer) {
  const std::vector<std::string>* best = nullptr;
  for (const auto& [folder, uses] : allowed())
    if (starts_with(file, folder) && folder.size() >= layer.size()) {
      layer = folder;
      best = &uses;
    }
  return best;
}

/// Every include of a project header that `file`'s layer may not use.
std::vector<std::string> upward_includes(const fs::path& root,
                                         const std::string& file) {
  std::string layer;
  const auto* uses = rule_for(file, layer);
  std::vector<std::string> found;
  if (uses == nullptr)
    return found;
  static const std::regex include{R"(^\s*#\s*include\s*\"([^\"]+)\")"};
  std::ifstream in(root / file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (!std::regex_search(line, m, include))
      continue;
    std::string target = m[1];
    bool ok = false;
    for (const auto& folder : *uses)
      ok = ok || starts_with(target, folder);
    bool project = starts_with(target, "sim") || starts_with(target, "actors")
                   || starts_with(target, "libexec");
    if (project && !ok)
      found.push_back(file + ":" + std::to_string(n) + ": includes " + target
                      + ", which " + layer + "/ may not use");
  }
  return found;
}

std::vector<std::string> sources(const fs::path& root) {
  std::vector<std::string> files;
  for (const char* top : {"sim", "actors", "libexec"})
    for (const auto& e : fs::recursive_directory_iterator(root / top)) {
      auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".cpp" || ext == ".hpp"))
        files.push_back(fs::relative(e.path(), root).generic_string());
    }
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

TEST_CASE("layering: no include points up a layer", "[layering]") {
  fs::path root = EXECSIM_SOURCE_DIR;
  auto files = sources(root);
  REQUIRE(files.size() > 100);
  std::vector<std::string> upward;
  for (const auto& f : files)
    for (auto& u : upward_includes(root, f))
      upward.push_back(u);
  INFO([&] {
    std::string all;
    for (const auto& u : upward)
      all += u + "\n";
    return all;
  }());
  CHECK(upward.empty());
}

TEST_CASE("layering: the check names an upward include by file and line",
          "[layering]") {
  execsim::testing::scratch_dir dir;
  fs::path root = dir.path();
  fs::create_directories(root / "sim");
  dir.write("sim/clock.hpp",
            "#pragma once\n#include \"sim/decimal.hpp\"\n"
            "#include \"actors/exchange/exchange.hpp\"\n");
  auto found = upward_includes(root, "sim/clock.hpp");
  REQUIRE(found.size() == 1);
  CHECK(found[0]
        == "sim/clock.hpp:3: includes actors/exchange/exchange.hpp, which "
           "sim/ may not use");
  fs::create_directories(root / "libexec/run");
  dir.write("libexec/run/x.cpp", "#include \"libexec/explore/explorer.hpp\"\n");
  found = upward_includes(root, "libexec/run/x.cpp");
  REQUIRE(found.size() == 1);
  CHECK(found[0]
        == "libexec/run/x.cpp:1: includes libexec/explore/explorer.hpp, "
           "which libexec/run/ may not use");
}
