// What `execsim explore` prints: one line per failure signature by default,
// every failing seed with --verbose, one JSON object with --format json.
#include "cli_support.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

/// The lines between the header and the summary: groups and minimal files.
std::vector<std::string> body_of(const std::string& text) {
  auto lines = lines_of(text);
  if (lines.size() < 2)
    return lines;
  return {lines.begin() + 1, lines.end() - 1};
}

std::size_t count_prefix(const std::string& text, const std::string& prefix) {
  std::size_t n = 0;
  for (const auto& line : lines_of(text))
    n += line.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

const char* const lookup_lag = "scenarios/explore/lookup-lag.toml";

} // namespace

TEST_CASE("explore groups 114 failing seeds into a few lines by signature",
          "[explore][cli][explore_output]") {
  scratch_dir dir;
  auto r = execsim_cli(dir, fmt::format("explore {} --seeds 500 --out {} "
                                        "--db {}",
                                        lookup_lag, dir.file("out"),
                                        dir.file("e.sqlite")));
  INFO(r.out);
  CHECK(r.status == 1);
  auto lines = lines_of(r.out);
  CHECK(lines.size() < 20);
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == "explore scenarios/explore/lookup-lag.toml: seeds 0..499 "
                    "(shard 0/1), 1 job");
  CHECK(lines[1] == fmt::format("FAIL    84 x one_fill_per_key [drop_ack]  "
                                "first seed=6 order=o1  replay: execsim "
                                "replay 1 --db {}",
                                dir.file("e.sqlite")));
  CHECK(lines[2] == fmt::format("     minimal: {}/lookup-lag-seed6-min.toml "
                                "(1 order, 1 fault, 25 runs, verified)",
                                dir.file("out")));
  CHECK(lines[3] == fmt::format("              execsim run {}/lookup-lag-"
                                "seed6-min.toml",
                                dir.file("out")));
  CHECK(lines[4] == fmt::format("FAIL    30 x one_fill_per_key [delay_ack]  "
                                "first seed=25 order=o4  replay: execsim "
                                "replay 4 --db {}",
                                dir.file("e.sqlite")));
  CHECK(lines[5] == "probes: ack_after_timeout*=78 late_ack_during_backoff*=46 "
                    "check_while_in_flight*=154 duplicate_key_reject=0 "
                    "final_check_found=0 final_check_unknown=0 "
                    "outage_across_retry=0 check_found*=4 "
                    "check_not_found_but_filled*=154 ack_at_timeout=0 check_answer_at_timeout=0");
  CHECK(lines[6].rfind("500 seeds, 114 failing (one_fill_per_key: 114), ", 0)
        == 0);
  CHECK(count_prefix(r.out, "FAIL seed=") == 0);
}

TEST_CASE("explore's groups are the same for --jobs 1 and --jobs 2",
          "[explore][cli][explore_output]") {
  scratch_dir dir;
  auto run = [&](int jobs) {
    return execsim_cli(dir, fmt::format("explore scenarios/explore/original-"
                                        "service.toml --seeds 600 --jobs {} "
                                        "--out {} --db {}",
                                        jobs, dir.file(fmt::format("o{}", jobs)),
                                        dir.file(fmt::format("e{}.sqlite",
                                                             jobs))));
  };
  auto one = run(1);
  auto two = run(2);
  INFO(one.out);
  CHECK(one.status == 1);
  CHECK(two.status == 1);
  auto a = body_of(one.out);
  auto b = body_of(two.out);
  REQUIRE(a.size() > 4);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    // The paths name each run's own database and folder.
    auto same = [&](std::string s, int jobs) {
      for (auto from : {fmt::format("e{}.sqlite", jobs), fmt::format("o{}/", jobs)})
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from))
          s.replace(at, from.size(), "X");
      return s;
    };
    CHECK(same(a[i], 1) == same(b[i], 2));
  }
  CHECK(lines_of(two.out).back().rfind("600 seeds, ", 0) == 0);
}

TEST_CASE("explore --verbose prints every failing seed as well as the groups",
          "[explore][cli][explore_output]") {
  scratch_dir dir;
  auto r = execsim_cli(dir, fmt::format("explore {} --seeds 500 -v --no-shrink "
                                        "--db {}",
                                        lookup_lag, dir.file("e.sqlite")));
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK(count_prefix(r.out, "FAIL seed=") == 114);
  CHECK(has(r.out, "FAIL seed=6 invariant=one_fill_per_key order=o1  replay: "
                   "execsim replay 1 --db "));
  // Without shrinking, the shape is the kinds that fired.
  CHECK(count_prefix(r.out, "FAIL   ") == 3);
  CHECK(has(r.out, "FAIL    72 x one_fill_per_key [drop_ack]  first seed=6 "));
}

TEST_CASE("explore --format json prints the summary as one JSON object",
          "[explore][cli][explore_output]") {
  scratch_dir dir;
  auto out = dir.file("out.json");
  auto cmd = fmt::format("cd {} && {} explore {} --seeds 500 --format json "
                         "--out {} --db {} > {} 2>/dev/null",
                         EXECSIM_SOURCE_DIR, EXECSIM_BINARY, lookup_lag,
                         dir.file("min"), dir.file("e.sqlite"), out);
  auto status = std::system(cmd.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  auto j = nlohmann::json::parse(slurp(out)); // nothing else on stdout
  CHECK(j["seeds_run"] == 500);
  CHECK(j["failing"] == 114);
  CHECK(j["by_invariant"]["one_fill_per_key"] == 114);
  CHECK(j["shard"] == "0/1");
  CHECK(j["digest"].get<std::string>().size() == 16);
  REQUIRE(j["groups"].size() == 2);
  const auto& g = j["groups"][0];
  CHECK(g["count"] == 84);
  CHECK(g["signature"] == "one_fill_per_key [drop_ack]");
  CHECK(g["invariant"] == "one_fill_per_key");
  CHECK(g["fault_kinds"].dump() == R"(["drop_ack"])");
  CHECK(g["first_seed"] == 6);
  CHECK(g["order"] == "o1");
  CHECK(g["minimal"] == dir.file("min") + "/lookup-lag-seed6-min.toml");
  CHECK(g["minimal_verified"] == true);
  CHECK(j["groups"][1]["count"] == 30);
  CHECK(j["groups"][1]["first_seed"] == 25);
  CHECK(j["groups"][1]["minimal"].is_null());
}
