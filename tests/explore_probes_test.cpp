// Probes under `execsim explore`: the per-probe seed counts (text and
// --format json), [explore] must_reach (unknown names are load errors; a
// probe no seed reached fails the exploration).
#include "cli_support.hpp"
#include "libexec/explore/probe_coverage.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

/// One order on a venue that answers a repeated key with the existing
/// order; only lost acks are explored.
std::string lost_acks(const std::string& must_reach) {
  return "name = \"lost acks\"\n"
         "[exchange]\nlatency = \"10ms\"\n[exchange.prices]\nAAPL = \"1\"\n"
         "[[orders]]\nid = \"o1\"\n"
         "[explore]\ndrop_ack = 0.3\nmust_reach = "
         + must_reach + "\n";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

} // namespace

TEST_CASE("must_reach: an unknown probe is a load error with its position "
          "and the valid names",
          "[probes][must_reach]") {
  auto r = load_scenario_text(lost_acks("[\"check_found\", "
                                        "\"ack_after_timout\"]"),
                              "bad.toml");
  CHECK_FALSE(r.value);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string()
        == "bad.toml:10:30: explore.must_reach[2]: unknown probe "
           "\"ack_after_timout\" (expected one of: ack_after_timeout, "
           "late_ack_during_backoff, check_while_in_flight, "
           "duplicate_key_reject, final_check_found, final_check_unknown, "
           "outage_across_retry, check_found, check_not_found_but_filled, "
           "ack_at_timeout, check_answer_at_timeout)");
  auto wrong = load_scenario_text(lost_acks("\"check_found\""), "bad.toml");
  CHECK_FALSE(wrong.value);
  auto good = load_scenario_text(lost_acks("[\"check_found\"]"), "good.toml");
  REQUIRE(good.value);
  CHECK(good.value->explore.must_reach
        == std::vector<std::string>{"check_found"});
  CHECK_FALSE(good.value->explore.swarm);

  scratch_dir dir;
  auto file = dir.write("bad.toml", lost_acks("[\"nope\"]"));
  auto cli = execsim_cli(dir, fmt::format("explore {} --seeds 5 --db {}",
                                          file, dir.file("e.sqlite")));
  CHECK(cli.status == 2);
  CHECK(cli.out.find(":10:15: explore.must_reach[1]: unknown probe \"nope\"")
        != std::string::npos);
}

TEST_CASE("must_reach: a probe no seed reached fails the exploration",
          "[probes][must_reach]") {
  scratch_dir dir;
  // return_existing: no reject for a known key, ever.
  auto file = dir.write("x.toml", lost_acks("[\"check_found\", "
                                            "\"duplicate_key_reject\"]"));
  auto r = execsim_cli(dir, fmt::format("explore {} --seeds 2000 --db {} "
                                        "--no-shrink",
                                        file, dir.file("e.sqlite")));
  INFO(r.out);
  CHECK(r.status == 1);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 4);
  CHECK(lines[1]
        == "probes: ack_after_timeout=0 late_ack_during_backoff=0 "
           "check_while_in_flight=601 duplicate_key_reject*=0 "
           "final_check_found=0 final_check_unknown=0 "
           "outage_across_retry=0 check_found*=601 "
           "check_not_found_but_filled=0 ack_at_timeout=0 check_answer_at_timeout=0");
  CHECK(lines[2]
        == "must_reach: no seed reached \"duplicate_key_reject\" (2,000 "
           "seeds run)");
  CHECK(lines[3].rfind("2000 seeds, 0 failing, ", 0) == 0);

  SECTION("every listed probe reached: exit 0") {
    auto ok = dir.write("ok.toml", lost_acks("[\"check_found\"]"));
    auto r2 = execsim_cli(dir, fmt::format("explore {} --seeds 2000 --db {}",
                                           ok, dir.file("e.sqlite")));
    INFO(r2.out);
    CHECK(r2.status == 0);
    CHECK(r2.out.find("must_reach:") == std::string::npos);
  }
}

TEST_CASE("explore --format json: seeds per probe for seeds 0..499 of "
          "lookup-lag.toml",
          "[probes][explore_output]") {
  scratch_dir dir;
  auto out = dir.file("out.json");
  auto cmd = fmt::format("cd {} && {} explore "
                         "scenarios/explore/lookup-lag.toml --seeds 500 "
                         "--format json --no-shrink --db {} > {} "
                         "2>/dev/null",
                         EXECSIM_SOURCE_DIR, EXECSIM_BINARY,
                         dir.file("e.sqlite"), out);
  auto status = std::system(cmd.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  auto j = nlohmann::json::parse(slurp(out));
  CHECK(j["probes"].dump()
        == R"({"ack_after_timeout":78,"ack_at_timeout":0,"check_answer_at_timeout":0,"check_found":4,)"
           R"("check_not_found_but_filled":154,"check_while_in_flight":154,)"
           R"("duplicate_key_reject":0,"final_check_found":0,)"
           R"("final_check_unknown":0,"late_ack_during_backoff":46,)"
           R"("outage_across_retry":0})");
  CHECK(j["must_reach"].size() == 5);
  CHECK(j["swarm"] == false);
  CHECK(j["must_reach_unmet"].dump() == "[]");
}

TEST_CASE("grouped_count writes thousands with commas", "[probes]") {
  CHECK(grouped_count(0) == "0");
  CHECK(grouped_count(999) == "999");
  CHECK(grouped_count(2000) == "2,000");
  CHECK(grouped_count(1234567) == "1,234,567");
}
