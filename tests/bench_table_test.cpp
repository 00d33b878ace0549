// README.md's performance table is made from a bench JSON, never by hand:
// `execsim bench --table-from JSON` prints it, `--update-readme FILE`
// rewrites the lines between FILE's markers and nothing else, `--check
// FILE` fails when they differ, and a broken JSON or broken markers are
// bad input naming the file, the field and the marker's line. (That
// README.md matches docs/bench.json is a ctest of its own:
// tests/CMakeLists.txt.)
#include "libexec/bench/readme_table.hpp"
#include "libexec/bench/readme_update.hpp"
#include "libexec/cli/readme_block.hpp"
#include "tests/cli_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using execsim::testing::execsim_cli_in;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

// Three rows: no target, one met, and a missed and an n/a one, with a '|'
// that must not end its cell.
const char* const fixture_json = R"json({
  "meta": {"build": "Release", "version": "9.8.7", "orders": 20000,
           "quick": true, "cores": 2, "load_average_start": "0.50",
           "load_average_end": "1.25", "date": "2030-01-02T03:04:05Z",
           "seconds": 18.5},
  "rows": [
    {"key": "a", "title": "baseline CAF", "figure": "200,018 round trips/s",
     "targets": [], "notes": ["not in the table"], "data": {}},
    {"key": "b", "title": "exploration (1 job)", "figure": "3,277 seeds/s",
     "targets": [{"text": ">= 1,000 seeds/s/core", "verdict": "MET"}],
     "notes": [], "data": {}},
    {"key": "c", "title": "end to end", "figure": "12 orders/s | 10 faulted",
     "targets": [{"text": ">= 100,000 orders/s", "verdict": "MISSED"},
                 {"text": "ratio >= 0.50", "verdict": "n/a"}],
     "notes": [], "data": {}}
  ]
}
)json";

const char* const fixture_table =
  "| # | measurement | figure | target |\n"
  "|---|---|---|---|\n"
  "| 1 | baseline CAF | 200,018 round trips/s | |\n"
  "| 2 | exploration (1 job) | 3,277 seeds/s | >= 1,000 seeds/s/core: met |\n"
  "| 3 | end to end | 12 orders/s \\| 10 faulted | >= 100,000 orders/s: "
  "**missed**; ratio >= 0.50: n/a |\n"
  "\n"
  "From the bench run of 2030-01-02T03:04:05Z: execsim 9.8.7, Release build, "
  "20,000 orders, `--quick`, 2 core(s), load average 0.50 at the start and "
  "1.25 at the end; took 18.50 s.\n";

const std::string begin = "<!-- bench:begin -->\n";
const std::string end = "<!-- bench:end -->\n";

// Prose that quotes the markers inline: not markers, as it is not a line
// of its own.
const std::string before =
  "# Title\n\nThe table sits between `<!-- bench:begin -->` and\n"
  "`<!-- bench:end -->`.\n\n";
const std::string after = "\nText after, no newline at the end";

struct fixture {
  scratch_dir dir;
  std::string json = dir.write("bench.json", fixture_json);

  std::string readme(const std::string& text) const {
    return dir.write("README.md", text);
  }
  execsim::testing::cli_result run(const std::string& args) const {
    return execsim_cli_in(dir.path(), dir, "bench " + args);
  }
};

} // namespace

TEST_CASE("bench --table-from prints the block a bench JSON makes",
          "[bench][bench_table]") {
  fixture f;
  auto r = f.run("--table-from bench.json");
  CHECK(r.status == 0);
  CHECK(r.out == begin + fixture_table + end);
}

TEST_CASE("bench --table-from --update-readme rewrites the block and nothing "
          "else",
          "[bench][bench_table]") {
  fixture f;
  auto file = f.readme(before + begin + "| stale | table |\n\nold line\n" + end
                       + after);
  auto r = f.run("--table-from bench.json --update-readme README.md");
  CHECK(r.status == 0);
  CHECK(r.out
        == "README.md: bench table (lines 6-10) rewritten from bench.json\n");
  CHECK(slurp(file) == before + begin + fixture_table + end + after);

  // Once current, the file is left alone; --check agrees.
  r = f.run("--table-from bench.json --update-readme README.md");
  CHECK(r.status == 0);
  CHECK(r.out == "README.md: the bench table already matches bench.json\n");
  r = f.run("--table-from bench.json --check README.md");
  CHECK(r.status == 0);
  CHECK(r.out == "README.md: the bench table matches bench.json\n");
}

TEST_CASE("bench --check fails on a block that is not the JSON's",
          "[bench][bench_table]") {
  fixture f;
  std::string table = fixture_table;
  auto changed = table.replace(table.find("3,277"), 5, "9,999");
  auto file = f.readme(before + begin + changed + end + after);
  auto r = f.run("--table-from bench.json --check README.md");
  CHECK(r.status == 1);
  CHECK(r.out
        == "execsim bench: README.md:10: the bench table between "
           "<!-- bench:begin --> (line 6) and <!-- bench:end --> (line 14) "
           "differs from what bench.json generates; regenerate it with:\n"
           "  execsim bench --table-from bench.json --update-readme "
           "README.md\n");
  CHECK(slurp(file) == before + begin + changed + end + after);
}

TEST_CASE("bench table: broken markers are bad input naming file and line",
          "[bench][bench_table]") {
  struct marker_case {
    std::string text;
    std::string message;
  };
  const marker_case cases[] = {
    {before + after,
     "README.md: no <!-- bench:begin --> and <!-- bench:end --> lines around "
     "the bench table"},
    {before + begin + "x\n" + after,
     "README.md:6: <!-- bench:begin --> without a <!-- bench:end --> line "
     "after it"},
    {before + "x\n" + end + after,
     "README.md:7: <!-- bench:end --> without a <!-- bench:begin --> line "
     "before it"},
    {before + begin + end + "x\n" + begin + end,
     "README.md:9: a second <!-- bench:begin --> line (the first is line 6)"},
    {before + begin + end + "x\n" + end,
     "README.md:9: a second <!-- bench:end --> line (the first is line 7)"},
    {before + end + "x\n" + begin + after,
     "README.md:6: <!-- bench:end --> before the <!-- bench:begin --> line "
     "(line 8)"},
  };
  fixture f;
  for (const auto& c : cases) {
    INFO(c.text);
    auto file = f.readme(c.text);
    for (const auto* mode : {"--update-readme", "--check"}) {
      INFO(mode);
      auto r = f.run(std::string("--table-from bench.json ") + mode
                     + " README.md");
      CHECK(r.status == 2);
      CHECK(r.out == "execsim bench: " + c.message + "\n");
      CHECK(slurp(file) == c.text);
    }
  }
}

TEST_CASE("bench table: markers are whole lines, blanks and CRLF allowed",
          "[bench][bench_table]") {
  std::string text =
    "a\r\n  <!-- bench:begin -->\r\nold\r\n<!-- bench:end -->\t\r\nz\r\n";
  std::string error;
  const auto& bench = execsim::bench::bench_block;
  auto span = execsim::cli::find_block(text, bench, "R.md", error);
  REQUIRE(span);
  CHECK(span->begin_line == 2);
  CHECK(span->end_line == 4);
  CHECK(execsim::cli::block_lines(text, *span) == "old\r\n");
  CHECK(execsim::cli::replace_block(text, *span, "new\n")
        == "a\r\n  <!-- bench:begin -->\r\nnew\n<!-- bench:end -->\t\r\nz\r\n");
  CHECK_FALSE(execsim::cli::find_block("x <!-- bench:begin -->\n", bench,
                                       "R.md", error));
  CHECK(error
        == "R.md: no <!-- bench:begin --> and <!-- bench:end --> lines "
           "around the bench table");
}

TEST_CASE("bench --table-from: a JSON that is not a bench's is bad input "
          "naming the field",
          "[bench][bench_table]") {
  fixture f;
  f.readme(before + begin + end + after);
  auto r = f.run("--table-from missing.json");
  CHECK(r.status == 2);
  CHECK(r.out
        == "execsim bench: cannot read missing.json: No such file or "
           "directory\n");

  f.dir.write("bad.json", "{\"meta\": ");
  r = f.run("--table-from bad.json --check README.md");
  CHECK(r.status == 2);
  CHECK(r.out.rfind("execsim bench: bad.json is not JSON: ", 0) == 0);

  const std::pair<std::string, std::string> broken[] = {
    {R"({"rows": []})", "no \"meta\""},
    {R"([1, 2])", "the JSON is not an object"},
    {R"({"meta": {"date": "d"}, "rows": []})", "no \"meta.version\""},
    {R"({"meta": {"date": 5}, "rows": []})", "\"meta.date\" is not a string"},
  };
  for (const auto& [json, message] : broken) {
    INFO(json);
    f.dir.write("old.json", json);
    r = f.run("--table-from old.json --update-readme README.md");
    CHECK(r.status == 2);
    CHECK(r.out
          == "execsim bench: old.json is not a bench JSON: " + message + "\n");
  }
}

TEST_CASE("bench table: a row's missing or mistyped field is named by its "
          "path",
          "[bench][bench_table]") {
  auto j = nlohmann::json::parse(fixture_json);
  std::string error;
  REQUIRE(execsim::bench::readme_table(j, error) == fixture_table);

  auto without_figure = j;
  without_figure["rows"][1].erase("figure");
  CHECK_FALSE(execsim::bench::readme_table(without_figure, error));
  CHECK(error == "no \"rows[1].figure\"");

  auto bad_verdict = j;
  bad_verdict["rows"][2]["targets"][1]["verdict"] = "maybe";
  CHECK_FALSE(execsim::bench::readme_table(bad_verdict, error));
  CHECK(error
        == "\"rows[2].targets[1].verdict\" is \"maybe\", not MET, MISSED or "
           "n/a");

  auto bad_targets = j;
  bad_targets["rows"][0]["targets"] = "none";
  CHECK_FALSE(execsim::bench::readme_table(bad_targets, error));
  CHECK(error == "\"rows[0].targets\" is not an array");

  auto full_run = j;
  full_run["meta"]["quick"] = false;
  auto table = execsim::bench::readme_table(full_run, error);
  REQUIRE(table);
  CHECK(table->find("20,000 orders, full run (not `--quick`), 2 core(s)")
        != std::string::npos);
}

TEST_CASE("bench --update-readme refuses a README without markers before "
          "measuring anything",
          "[bench][bench_table]") {
  fixture f;
  auto file = f.readme(before + after);
  auto r = f.run("--quick --update-readme README.md");
  CHECK(r.status == 2);
  CHECK(r.out
        == "execsim bench: README.md: no <!-- bench:begin --> and "
           "<!-- bench:end --> lines around the bench table\n");
  CHECK(slurp(file) == before + after);
}

TEST_CASE("bench --check and --table-from refuse what cannot go together",
          "[bench][bench_table]") {
  fixture f;
  f.readme(before + begin + end + after);
  CHECK(f.run("--check README.md").status == 2);
  CHECK(f.run("--table-from bench.json --quick").status == 2);
  CHECK(f.run("--table-from bench.json --check README.md --update-readme "
              "README.md")
          .status
        == 2);
}
