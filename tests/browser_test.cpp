// The HTML reports (#19) checked in a real browser: Debian's chromium
// loads each page headless, its script lays the marks out, and the DOM it
// leaves is counted against the recording's rows, queried with SQL. No page
// may log to the console or raise a script error. Where chromium is not
// installed these tests say so (a warning) and check the page's text only.
// Screenshots for a person: build/<preset>/browser-screenshots/.
#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using execsim::testing::execsim_cli;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size()))
    ++n;
  return n;
}

/// The chromium program, or "" when it is not installed.
std::string chromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(path))
      return path;
  return {};
}

bool have_chromium() {
  if (!chromium().empty())
    return true;
  WARN("chromium is not installed (apt-get install chromium, or "
       "libexec/setup as root): the page was NOT checked in a browser");
  return false;
}

struct loaded_page {
  std::string dom;
  std::vector<std::string> console; // chromium's CONSOLE log lines
};

/// `html` loaded headless: the DOM after its script ran, and what the page
/// logged. With `screenshot`, a PNG of it too.
loaded_page load(const scratch_dir& dir, const std::string& html,
                 const std::string& screenshot = "",
                 const std::string& fragment = "") {
  auto dom = dir.file("dom.html");
  auto log = dir.file("chromium.log");
  auto what = screenshot.empty()
                ? fmt::format("--dump-dom 'file://{}{}' > {}", html,
                              fragment, dom)
                : fmt::format("--screenshot={} 'file://{}{}' > /dev/null",
                              screenshot, html, fragment);
  auto cmd = fmt::format("cd {} && timeout 120 {} --headless --no-sandbox "
                         "--disable-gpu --window-size=1400,1000 "
                         "--hide-scrollbars "
                         "--enable-logging=stderr --v=0 {} "
                         "2> {}",
                         dir.path(), chromium(), what, log);
  REQUIRE(std::system(cmd.c_str()) == 0);
  loaded_page page;
  if (screenshot.empty())
    page.dom = slurp(dom);
  std::istringstream lines(slurp(log));
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos)
      page.console.push_back(line);
  return page;
}

void check_ran_clean(const loaded_page& page) {
  CHECK(page.console.empty());
  CHECK(count(page.dom, "data-ready=\"1\"") == 1);
  CHECK(count(page.dom, "id=\"js-errors\" data-errors=\"0\"") == 1);
}

/// One page holding the sections of several report pages (one browser
/// start instead of one per run).
std::string combined(const std::vector<std::string>& pages) {
  const std::string open = "<section class=\"run\"";
  const std::string tail = "<script>\n(function";
  auto first = pages.at(0);
  auto out = first.substr(0, first.find(open));
  for (const auto& p : pages) {
    auto from = p.find(open);
    REQUIRE(from != std::string::npos);
    out += p.substr(from, p.rfind(tail) - from);
  }
  return out + first.substr(first.rfind(tail));
}

/// The DOM of run `id`'s section.
std::string section(const std::string& dom, std::int64_t id) {
  auto from = dom.find(fmt::format("<section class=\"run\" id=\"run-{}\"", id));
  REQUIRE(from != std::string::npos);
  return dom.substr(from, dom.find("</section>", from) - from);
}

/// The marks a run's page must have, by the data- attribute counted, from
/// its rows.
std::map<std::string, std::int64_t> expected_marks(raw_db& db,
                                                   std::int64_t run) {
  auto n = [&](const std::string& from_where) {
    return db.integer(fmt::format("SELECT count(*) FROM {} AND run_id = {}",
                                  from_where, run));
  };
  const char* lost = "order_id IS NOT NULL AND kind IN ('drop_request', "
                     "'drop_ack', 'check_drop')";
  return {
    {"data-kind=\"arrow\"", n("trace WHERE 1")},
    {"data-kind=\"lost\"", n(fmt::format("faults WHERE {}", lost))},
    {"data-kind=\"fault\"", n(fmt::format("faults WHERE NOT ({})", lost))},
    {"data-fault=", n("faults WHERE 1")},
    {"data-bar=\"attempt\"", n("attempts WHERE 1")},
    {"data-bar=\"check\"", n("duplicate_checks WHERE 1")},
    {"data-bar=\"backoff\"", n("attempts WHERE attempt > 1")},
    {"data-kind=\"fill\"", n("fills WHERE 1")},
    {"data-kind=\"event\"", n("events WHERE 1")},
    {"data-kind=\"result\"", n("orders WHERE finished_at_ns IS NOT NULL")},
    {"data-kind=\"violation\"", n("violations WHERE 1")},
  };
}

const char* const worked_timing_3 =
  "scenarios/spec/worked_timing_3_drop_request_every_attempt.toml";

} // namespace

TEST_CASE("browser: every shipped scenario's page has one mark per row",
          "[browser][html]") {
  scratch_dir dir;
  auto db_path = dir.file("all.sqlite");
  REQUIRE(execsim_cli(dir, fmt::format("run scenarios --quiet --db {}",
                                       db_path))
            .status
          == 0);
  // And a scenario whose name is a script: it must show, not run.
  auto toml = slurp(std::string(EXECSIM_SOURCE_DIR) + "/" + worked_timing_3);
  auto evil = dir.write(
    "evil.toml", "name = \"<script>document.body.setAttribute('data-pwned',"
                 "'1')</script>\""
                   + toml.substr(toml.find('\n')));
  REQUIRE(execsim_cli(dir, fmt::format("run {} --quiet --db {}", evil,
                                       db_path))
            .status
          == 0);
  raw_db db{db_path};
  auto runs = db.column("SELECT run_id FROM runs ORDER BY run_id");
  REQUIRE(runs.size() >= 70);
  std::vector<std::string> pages;
  for (const auto& run : runs) {
    auto out = dir.file("run-" + run + ".html");
    REQUIRE(execsim_cli(dir, fmt::format("report {} --db {} --format html "
                                         "-o {}",
                                         run, db_path, out))
              .status
            == 0);
    pages.push_back(slurp(out));
  }
  auto page = dir.write("all.html", combined(pages));
  if (!have_chromium())
    return;
  // Zoomed in to 100 nanoseconds: the axis in ns, every mark still there.
  auto loaded = load(dir, page, "", "#view=0,100");
  check_ran_clean(loaded);
  CHECK(count(loaded.dom, "<section class=\"run\"") == runs.size());
  CHECK(count(loaded.dom, "(span 100ns)") == runs.size());
  CHECK(count(loaded.dom, ">50ns</text>") == runs.size());
  for (const auto& run : runs) {
    auto id = std::stoll(run);
    auto dom = section(loaded.dom, id);
    INFO("run " << run << ": "
                << db.text("SELECT file FROM runs WHERE run_id = " + run));
    for (const auto& [mark, rows] : expected_marks(db, id)) {
      INFO(mark);
      CHECK(static_cast<std::int64_t>(count(dom, mark)) == rows);
    }
  }
  // The script named in a scenario did not run: the page's own two only.
  CHECK(count(loaded.dom, "<script") == 2);
  CHECK(count(loaded.dom, "data-pwned=\"1\"") == 0);
  CHECK(count(loaded.dom, "&lt;script&gt;document.body.setAttribute(") == 1);
}

TEST_CASE("browser: the spec's worked timing 3, exact marks and a "
          "screenshot",
          "[browser][html]") {
  scratch_dir dir;
  auto db = dir.file("run.sqlite");
  REQUIRE(execsim_cli(dir, fmt::format("run {} --quiet --db {}",
                                       worked_timing_3, db))
            .status
          == 0);
  auto html = dir.file("w3.html");
  REQUIRE(execsim_cli(dir, fmt::format("report --db {} --format html -o {}",
                                       db, html))
            .status
          == 0);
  if (!have_chromium())
    return;
  auto dom = load(dir, html);
  check_ran_clean(dom);
  // 3 attempts sent at 0, 1.52s, 4.04s, each request dropped: 21 delivered
  // messages, 3 lost, 3 checks, 2 backoffs, start and failure events.
  CHECK(count(dom.dom, "data-kind=\"arrow\"") == 21);
  CHECK(count(dom.dom, "data-kind=\"lost\" data-fault=\"drop_request\"")
        == 3);
  CHECK(count(dom.dom, "data-fault=") == 3);
  CHECK(count(dom.dom, "data-bar=\"attempt\"") == 3);
  CHECK(count(dom.dom, "data-bar=\"check\"") == 3);
  CHECK(count(dom.dom, "data-bar=\"backoff\"") == 2);
  CHECK(count(dom.dom, "data-kind=\"event\"") == 2);
  CHECK(count(dom.dom, "data-kind=\"result\" data-success=\"0\"") == 1);
  // The script laid the marks out: every lost mark moved to its time, the
  // axis labelled in the text report's units.
  CHECK(count(dom.dom, "transform=\"translate(") >= 3 + 2 + 1);
  CHECK(count(dom.dom, ">500ms</text>") == 1);
  CHECK(count(dom.dom, ">4.5s</text>") == 1);

  auto shots = std::filesystem::path(EXECSIM_BINARY).parent_path()
               / "browser-screenshots";
  std::filesystem::create_directories(shots);
  auto png = (shots / "worked-timing-3.png").string();
  std::filesystem::remove(png);
  auto shot = load(dir, html, png);
  CHECK(shot.console.empty());
  REQUIRE(std::filesystem::exists(png));
  CHECK(slurp(png).rfind("\x89PNG", 0) == 0);
  CHECK(std::filesystem::file_size(png) > 10'000);
}

TEST_CASE("browser: the exploration report shows both residual risks",
          "[browser][html][explore]") {
  scratch_dir dir;
  auto html = dir.file("explore.html");
  auto r = execsim_cli(
    dir, fmt::format("explore scenarios/explore/original-service.toml -q "
                     "--db {} --out {} --html {}",
                     dir.file("x.sqlite"), dir.file("out"), html));
  REQUIRE(r.status == 1);
  auto page = slurp(html);
  // One table row per group the text output prints, one embedded run per
  // minimal file: one per invariant broken.
  CHECK(count(page, "<tr class=\"group\"") == count(r.out, "\nFAIL "));
  CHECK(count(page, "<section class=\"run\"") == 2);
  CHECK(count(r.out, "minimal: ") == 2);
  for (const char* invariant :
       {"one_fill_per_key", "result_matches_exchange"}) {
    CAPTURE(invariant);
    auto at = page.find(fmt::format("<h2 class=\"minimal\">Minimal run of {} ",
                                    invariant));
    REQUIRE(at != std::string::npos);
    auto run = page.substr(at, page.find("</section>", at) - at);
    CHECK(count(run, fmt::format("<li class=\"violation\" "
                                 "data-kind=\"violation\">{}",
                                 invariant))
          >= 1);
    CHECK(count(run, "data-fault=") >= 1);
    CHECK(count(run, "data-kind=\"arrow\"") >= 10);
  }
  // Probe coverage: one line per probe, those of must_reach marked.
  CHECK(count(page, "<section class=\"probes\" id=\"probes\">") == 1);
  CHECK(count(page, "<li class=\"probe mono\">") == 11);
  CHECK(count(page, "(must_reach)") == 5);
  CHECK(count(page, "<li class=\"probe mono\">ack_after_timeout: ") == 1);
  if (!have_chromium())
    return;
  // Zoomed out to 10 hours: the axis in seconds as the text report
  // prints them.
  auto loaded = load(dir, html, "", "#view=0,36000000000000");
  check_ran_clean(loaded);
  CHECK(count(loaded.dom, "<section class=\"run\"") == 2);
  CHECK(count(loaded.dom, "(span 36000s)") == 2);
  CHECK(count(loaded.dom, ">10000s</text>") == 2);
  CHECK(count(loaded.dom, "data-kind=\"arrow\"")
        == count(page, "data-kind=\"arrow\""));
}
