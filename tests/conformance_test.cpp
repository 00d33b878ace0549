// Venue profiles (`[exchange] profile = "NAME"`, scenarios/venues/) and
// `execsim conformance`: a scenario's own keys override its profile's, a
// bad profile is reported at its own line:column, and the conformance table
// (the README's included) is what the exploration finds.
#include "libexec/conformance/conformance.hpp"
#include "libexec/conformance/conformance_text.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_writer.hpp"

#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

#include <filesystem>
#include <string>

using namespace execsim;
using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

namespace fs = std::filesystem;

const std::string source_dir = EXECSIM_SOURCE_DIR;

/// A scenario in `dir` with `exchange` as its [exchange] table, and a
/// profile venues/lagging.toml beside it.
std::string scenario_with(const scratch_dir& dir, const std::string& exchange,
                          const std::string& profile_text) {
  fs::create_directories(dir.file("venues"));
  dir.write("venues/lagging.toml", profile_text);
  return dir.write("s.toml", "name = \"p\"\n[exchange]\n" + exchange
                               + "[[orders]]\nid = \"o1\"\n");
}

const std::string lagging = "[exchange]\n"
                            "on_duplicate_key = \"accept\"\n"
                            "lookup_lag = \"700ms\"\n"
                            "key_ttl = \"2s\"\n";

std::string errors_of(const load_result& r) {
  std::string out;
  for (const auto& e : r.errors)
    out += e.to_string() + "\n";
  return out;
}

conformance_settings readme_settings(const scratch_dir& dir) {
  conformance_settings s;
  s.executors = {source_dir + "/scenarios/explore/defaults.toml",
                 source_dir + "/scenarios/explore/original-service.toml"};
  s.seeds = 100;
  s.out_dir = dir.file("out");
  return s;
}

} // namespace

TEST_CASE("profile: the scenario's own [exchange] keys override the "
          "profile's",
          "[conformance]") {
  scratch_dir dir;
  auto file = scenario_with(dir, "profile = \"lagging\"\nlookup_lag = "
                                 "\"50ms\"\n",
                            lagging);
  auto r = load_scenario_file(file);
  REQUIRE(errors_of(r).empty());
  const auto& x = r.value->exchange;
  CHECK(x.lookup_lag == ns_t{50'000'000});
  CHECK(x.on_duplicate_key == duplicate_policy::accept);
  REQUIRE(x.key_ttl);
  CHECK(*x.key_ttl == ns_t{2'000'000'000});
  // A minimal file written from it is self-contained: the settings
  // expanded, no profile to find.
  auto text = to_toml(*r.value);
  CHECK(text.find("profile") == std::string::npos);
  CHECK(text.find("exchange.lookup_lag = \"50ms\"") != std::string::npos);
  CHECK(text.find("exchange.on_duplicate_key = \"accept\"")
        != std::string::npos);
}

TEST_CASE("profile: a shipped profile by name, or a file by path",
          "[conformance]") {
  scratch_dir dir;
  auto named = dir.write("n.toml", "name = \"n\"\n[exchange]\nprofile = "
                                   "\"no-idempotency\"\n");
  auto r = load_scenario_file(named);
  REQUIRE(errors_of(r).empty());
  CHECK(r.value->exchange.on_duplicate_key == duplicate_policy::accept);
  dir.write("mine.toml", lagging);
  auto by_path = dir.write("q.toml", "name = \"q\"\n[exchange]\nprofile = "
                                     "\"mine.toml\"\n");
  auto q = load_scenario_file(by_path);
  REQUIRE(errors_of(q).empty());
  CHECK(q.value->exchange.lookup_lag == ns_t{700'000'000});
}

TEST_CASE("profile: an unknown profile lists the known ones",
          "[conformance]") {
  scratch_dir dir;
  auto file = scenario_with(dir, "profile = \"nope\"\n", lagging);
  auto r = load_scenario_file(file);
  CHECK(errors_of(r)
        == file + ":3:11: exchange.profile: unknown venue profile \"nope\" "
                  "(known: eventually-consistent, idempotent-strict, key-ttl, "
                  "lagging, no-idempotency, rate-limited, "
                  "reject-after-accept)\n");
}

TEST_CASE("profile: a bad key in a profile is reported at the profile's "
          "line and column",
          "[conformance]") {
  scratch_dir dir;
  auto file = scenario_with(dir, "profile = \"lagging\"\n",
                            "[exchange]\n"
                            "on_duplicate_key = \"accept\"\n"
                            "lookup_lagg = \"700ms\"\n"
                            "key_ttl = \"2\"\n"
                            "profile = \"x\"\n");
  auto r = load_scenario_file(file);
  auto profile = dir.file("venues/lagging.toml");
  CHECK(errors_of(r)
        == file + ":3:11: exchange.profile: venue profile \"" + profile
             + "\" has errors (listed below)\n" + profile
             + ":3:1: unknown key \"lookup_lagg\" in [exchange] (expected one "
               "of: latency, latency_spikes, on_duplicate_key, "
               "reject_after_accept, symbols, unknown_symbols, prices, "
               "lookup_lag, key_ttl, rate_limit, profile)\n"
             + profile
             + ":4:11: exchange.key_ttl: duration \"2\" has no unit: expected "
               "a duration with a unit, like \"250ms\", \"1.5s\", \"2m\", "
               "\"500us\" or \"20ns\"\n"
             + profile
             + ":5:11: exchange.profile: a venue profile cannot name another "
               "profile\n");
}

TEST_CASE("conformance: the built-in executor against every shipped "
          "profile",
          "[conformance]") {
  scratch_dir dir;
  conformance_settings s;
  s.executors = {source_dir + "/scenarios/explore/defaults.toml"};
  s.seeds = 100;
  std::vector<std::string> errors;
  auto t = run_conformance(s, errors);
  REQUIRE(errors.empty());
  CHECK(t.invariants == invariant_names());
  // An idempotent venue holds every invariant; without idempotency, or
  // when the venue forgets keys (key_ttl 2s, shorter than the 1s + 2s
  // backoff), a retry makes a second order, and at seed 44 the two
  // orders of one key are live at the same time.
  CHECK(conformance_markdown(t)
        == "| profile | executor | one_fill_per_key | terminal | "
           "result_matches_exchange | distinct_keys | no_orphan_fill | "
           "no_duplicate_exposure | unknown_resolved |\n"
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
           "| eventually-consistent | explore/defaults | holds | holds | holds "
           "| holds | holds | holds | holds |\n"
           "| idempotent-strict | explore/defaults | holds | holds | holds | "
           "holds | holds | holds | holds |\n"
           "| key-ttl | explore/defaults | broken (seed 7) | holds | broken "
           "(seed 40) | holds | holds | broken (seed 44) | holds |\n"
           "| no-idempotency | explore/defaults | broken (seed 14) | holds | "
           "holds | holds | holds | broken (seed 44) | holds |\n"
           "| rate-limited | explore/defaults | holds | holds | holds | holds "
           "| holds | holds | holds |\n"
           "| reject-after-accept | explore/defaults | holds | holds | holds | "
           "holds | holds | holds | holds |\n");
}

TEST_CASE("conformance: the README's table is the command's output",
          "[conformance]") {
  scratch_dir dir;
  std::vector<std::string> errors;
  auto t = run_conformance(readme_settings(dir), errors);
  REQUIRE(errors.empty());
  auto readme = slurp(source_dir + "/README.md");
  auto block = between_markers(readme);
  REQUIRE(block);
  // Regenerate: execsim conformance --seeds 100 --update-readme README.md
  CHECK(*block == conformance_markdown(t));
}

TEST_CASE("conformance: bad input exits 2, a broken invariant exits 0",
          "[conformance]") {
  scratch_dir dir;
  auto unknown = execsim_cli(dir, "conformance --profile nope --no-shrink");
  CHECK(unknown.status == 2);
  CHECK(unknown.out
        == "unknown venue profile \"nope\" (known: eventually-consistent, "
           "idempotent-strict, key-ttl, no-idempotency, rate-limited, "
           "reject-after-accept)\n");
  auto broken = execsim_cli(dir, fmt::format("conformance --profile "
                                             "no-idempotency --seeds 20 "
                                             "--format md --out-dir {}",
                                             dir.file("out")));
  CHECK(broken.status == 0);
  const std::string minimal = "defaults-no-idempotency-one_fill_per_key-min.toml";
  CHECK(broken.out
        == "| profile | executor | one_fill_per_key | terminal | "
           "result_matches_exchange | distinct_keys | no_orphan_fill | "
           "no_duplicate_exposure | unknown_resolved |\n"
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
           "| no-idempotency | explore/defaults | broken (seed 14, minimal: "
             + minimal + ") | holds | holds | holds | holds | holds | holds |\n"
           "| no-idempotency | explore/original-service | broken (seed 14, "
           "minimal: original-service-no-idempotency-one_fill_per_key-min.toml) "
           "| holds | holds | holds | holds | holds | holds |\n");
  // The minimal scenario reproduces the violation under `execsim run`.
  auto rerun = execsim_cli(dir, fmt::format("run {} --db {}",
                                            dir.file("out/" + minimal),
                                            dir.file("r.sqlite")));
  CHECK(rerun.status == 0);
  CHECK(rerun.out.find("1 passed, 0 failed") != std::string::npos);
}

TEST_CASE("conformance --update-readme rewrites only the block, and "
          "broken markers are bad input naming file and line",
          "[conformance]") {
  scratch_dir dir;
  const std::string before = "# T\n\nQuoted: `<!-- conformance:begin -->`.\n"
                             "<!-- conformance:begin -->\n";
  const std::string after = "<!-- conformance:end -->\nafter\n";
  auto file = dir.write("R.md", before + "stale\n" + after);
  const std::string args = "conformance --profile no-idempotency --seeds 1 "
                           "--no-shrink --update-readme "
                           + file;
  auto r = execsim_cli(dir, args);
  CHECK(r.status == 0);
  CHECK(r.out == "updated the conformance table in " + file + "\n");
  auto text = slurp(file);
  CHECK(text.rfind(before + "| profile |", 0) == 0);
  CHECK(text.find("| no-idempotency | explore/defaults |") != std::string::npos);
  CHECK(text.substr(text.size() - after.size()) == after);
  CHECK_FALSE(fs::exists(file + ".execsim-tmp"));

  const std::string doubled =
    before + "x\n" + "<!-- conformance:begin -->\n" + after;
  dir.write("R.md", doubled);
  r = execsim_cli(dir, args);
  CHECK(r.status == 2);
  CHECK(r.out == "execsim conformance: " + file
                   + ":6: a second <!-- conformance:begin --> line (the "
                     "first is line 4)\n");
  CHECK(slurp(file) == doubled);
}

TEST_CASE("conformance: the asyncio example (the original service, "
          "unmodified) against a venue without idempotency breaks both "
          "invariants the original service risks",
          "[conformance]") {
  scratch_dir dir;
  conformance_settings s;
  s.executors = {source_dir + "/scenarios/examples/asyncio/"
                              "explore-original.toml"};
  s.profiles = {"no-idempotency"};
  s.seeds = 10;
  std::vector<std::string> errors;
  auto t = run_conformance(s, errors);
  REQUIRE(errors.empty());
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].executor == "asyncio/explore-original");
  CHECK(conformance_markdown(t).substr(conformance_markdown(t).rfind("| no"))
        == "| no-idempotency | asyncio/explore-original | broken (seed 8) | "
           "holds | broken (seed 3) | holds | holds | holds | holds |\n");
}

TEST_CASE("profile: execsim run DIR does not take venues/ files for "
          "scenarios",
          "[conformance]") {
  scratch_dir dir;
  auto file = scenario_with(dir, "profile = \"lagging\"\n", lagging);
  auto r = execsim_cli(dir, fmt::format("run {} --db {}", dir.path(),
                                        dir.file("r.sqlite")));
  CHECK(r.status == 0);
  CHECK(r.out.find("1 passed, 0 failed, 0 errors") != std::string::npos);
  CHECK(r.out.find("lagging.toml") == std::string::npos);
  CHECK(r.out.find(file) != std::string::npos);
}

TEST_CASE("profile: a scenario's on_duplicate_key replaces the profile's "
          "whole duplicate policy (reject_after_accept too)",
          "[conformance]") {
  scratch_dir dir;
  auto file = dir.write("s.toml", "name = \"p\"\n[exchange]\nprofile = "
                                  "\"reject-after-accept\"\n"
                                  "on_duplicate_key = \"accept\"\n");
  auto r = load_scenario_file(file);
  REQUIRE(errors_of(r).empty());
  const auto& x = r.value->exchange;
  CHECK(x.on_duplicate_key == duplicate_policy::accept);
  CHECK(!x.reject_after_accept);
  CHECK(x.lookup_lag == ns_t{300'000'000});
}
