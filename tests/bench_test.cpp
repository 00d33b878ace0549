// Smoke test of `execsim bench`: it runs, its JSON has the ten rows and
// names the run, and --update-readme writes the table --table-from makes
// of that JSON. Timings are never asserted (they depend on the machine and
// the build).
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

TEST_CASE("execsim bench --quick writes the ten rows as JSON", "[bench]") {
  auto dir = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp")
             + "/execsim-bench-test-XXXXXX";
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  auto json = dir + "/bench.json";
  auto readme = dir + "/README.md";
  std::ofstream(readme) << "before\n<!-- bench:begin -->\n<!-- bench:end -->\n"
                           "after\n";
  // From the source tree, so the scenario rows find scenarios/.
  auto cmd = fmt::format("cd {} && {} bench --quick --orders 2000 --json {} "
                         "--update-readme {} > {}/out.txt 2>&1",
                         EXECSIM_SOURCE_DIR, EXECSIM_BINARY, json, readme,
                         dir);
  REQUIRE(std::system(cmd.c_str()) == 0);

  std::ifstream in(json);
  REQUIRE(in);
  auto j = nlohmann::json::parse(in);
  REQUIRE(j.at("rows").size() == 10);
  const char* keys[] = {"baseline_caf",        "baseline_sqlite",
                        "recording_writer",    "end_to_end",          "scaling",
                        "original_behaviours", "exploration",
                        "asyncio_behaviours",  "asyncio_exploration",
                        "backtest"};
  for (std::size_t i = 0; i < 10; ++i) {
    const auto& row = j["rows"][i];
    CHECK(row.at("key") == keys[i]);
    CHECK_FALSE(row.at("figure").get<std::string>().empty());
  }
  const auto& meta = j.at("meta");
  CHECK(meta.at("orders") == 2000);
  CHECK(meta.at("quick") == true);
  CHECK(meta.at("build") == EXECSIM_BUILD_FLAVOUR);
  CHECK(std::regex_match(meta.at("date").get<std::string>(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  CHECK(meta.at("seconds").get<double>() > 0);
  CHECK(j["rows"][3]["data"]["happy"]["orders"] == 2000);
  CHECK(j["rows"][3]["data"]["happy"]["pass"] == true);
  // The asyncio rows ran the 14 behaviours and both explorations.
  CHECK(j["rows"][7]["data"]["files"] == 14);
  CHECK(j["rows"][7]["data"]["passed"] == 14);
  CHECK(j["rows"][8]["data"]["seeds"] == 200);
  CHECK(j["rows"][8]["data"]["baseline_seeds"] == 200);

  // The README's block is the JSON's table: the check passes on it.
  auto check = fmt::format("{} bench --table-from {} --check {} > {}/check.txt "
                           "2>&1",
                           EXECSIM_BINARY, json, readme, dir);
  CHECK(std::system(check.c_str()) == 0);
  std::ifstream written(readme);
  std::stringstream text;
  text << written.rdbuf();
  CHECK(text.str().rfind("before\n<!-- bench:begin -->\n| # | measurement |",
                         0)
        == 0);
  std::system(("rm -rf " + dir).c_str());
}
