// `report --format html` (#19) as a user runs it, without a browser (see
// browser_test.cpp for the page after its script ran): the marks of the
// spec's third worked timing, the text report's lines in the page in the
// same order, recorded text made inert, the same run giving the same bytes,
// -o and --order, and exit 2 for what cannot be done.
#include <catch2/catch.hpp>

#include "libexec/report/html_escape.hpp"
#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

#include <fmt/format.h>

#include <regex>
#include <string>
#include <vector>

using execsim::testing::execsim_cli;
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

/// Runs `scenario` into dir's run.sqlite; returns the db path.
std::string recorded(const scratch_dir& dir, const std::string& scenario) {
  auto db = dir.file("run.sqlite");
  auto run = execsim_cli(dir, fmt::format("run {} --quiet --db {}", scenario,
                                          db));
  REQUIRE(run.status == 0);
  return db;
}

std::string page_of(const scratch_dir& dir, const std::string& db,
                    const std::string& more = "") {
  auto out = dir.file("page.html");
  auto r = execsim_cli(dir, fmt::format("report --db {} --format html -o {}{}",
                                        db, out, more));
  REQUIRE(r.status == 0);
  REQUIRE(r.out.empty());
  return slurp(out);
}

/// The text report's timeline lines of every order, times and text.
std::vector<std::string> text_lines(const std::string& report) {
  std::vector<std::string> lines;
  std::regex line{R"(^    +(\S+)  (.+)$)"};
  for (auto at = report.find("  result  "); at != std::string::npos;
       at = report.find("  result  ", at)) {
    at = report.find('\n', at) + 1;
    while (at < report.size() && report.compare(at, 4, "    ") == 0) {
      auto end = report.find('\n', at);
      std::smatch m;
      auto text = report.substr(at, end - at);
      REQUIRE(std::regex_match(text, m, line));
      lines.push_back(m[1].str() + " " + m[2].str());
      at = end + 1;
    }
  }
  return lines;
}

std::vector<std::string> page_lines(const std::string& page) {
  std::vector<std::string> lines;
  std::regex row{R"(<tr data-at="\d+"><td class="t">([^<]+)</td>)"
                 R"(<td>([^<]+)</td></tr>)"};
  for (std::sregex_iterator it(page.begin(), page.end(), row), end;
       it != end; ++it)
    lines.push_back((*it)[1].str() + " " + (*it)[2].str());
  return lines;
}

const char* const worked_timing_3 =
  "scenarios/spec/worked_timing_3_drop_request_every_attempt.toml";

} // namespace

TEST_CASE("report html: the spec's worked timing 3, one mark per row",
          "[report][html]") {
  scratch_dir dir;
  auto page = page_of(dir, recorded(dir, worked_timing_3));
  CHECK(page.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(count(page, "data-kind=\"arrow\"") == 21); // the 21 trace lines
  CHECK(count(page, "data-kind=\"lost\" data-fault=\"drop_request\"") == 3);
  CHECK(count(page, "data-kind=\"fault\"") == 0);
  CHECK(count(page, "data-bar=\"attempt\"") == 3);
  CHECK(count(page, "data-bar=\"check\"") == 3);
  CHECK(count(page, "data-bar=\"backoff\"") == 2);
  CHECK(count(page, "data-kind=\"fill\"") == 0);
  CHECK(count(page, "data-kind=\"event\"") == 2);
  CHECK(count(page, "data-kind=\"result\" data-success=\"0\"") == 1);
  CHECK(count(page, "class=\"violation\"") == 0);
  // Backoffs from the end of the check to the next attempt: 520ms to
  // 1.52s, 2.04s to 4.04s, as the spec's comment says.
  CHECK(count(page, "data-t0=\"520000000\" data-t1=\"1520000000\"") == 1);
  CHECK(count(page, "data-t0=\"2040000000\" data-t1=\"4040000000\"") == 1);
  // Hover text: the recorded row, times as the text report prints them.
  CHECK(count(page, "<title>attempts: order_id=o1 attempt=2 sent_at=1.52s "
                    "answered_at=- outcome=timeout error_code=- "
                    "timed_out_at=2.02s late_answer=- abandoned=no</title>")
        == 1);
  CHECK(count(page, "failure, error_code TIMEOUT") == 1);
  // No network: nothing is fetched from anywhere.
  CHECK(count(page, "src=") == 0);
  CHECK(count(page, "href=\"http") == 0);
}

TEST_CASE("report html: the text report's lines, in the same order",
          "[report][html]") {
  for (const char* scenario :
       {worked_timing_3, "scenarios/faults/delay_ack_late_during_backoff.toml",
        "scenarios/faults/check_drop.toml"}) {
    CAPTURE(scenario);
    scratch_dir dir;
    auto db = recorded(dir, scenario);
    auto text = execsim_cli(dir, fmt::format("report --db {}", db));
    REQUIRE(text.status == 0);
    auto expected = text_lines(text.out);
    CHECK(expected.size() >= 5);
    CHECK(page_lines(page_of(dir, db)) == expected);
  }
}

TEST_CASE("report html: recorded text is escaped, a <script> name inert",
          "[report][html]") {
  scratch_dir dir;
  auto toml = slurp(std::string(EXECSIM_SOURCE_DIR) + "/" + worked_timing_3);
  auto at = toml.find('\n');
  toml = "name = \"<script>document.body.setAttribute('data-pwned','1')"
         "</script> & \\\"q\\\"\"" + toml.substr(at);
  auto file = dir.write("evil.toml", toml);
  auto page = page_of(dir, recorded(dir, file));
  CHECK(count(page, "<script") == 2); // the page's own two
  CHECK(count(page, "&lt;script&gt;document.body.setAttribute(&#39;data-pwned"
                    "&#39;,&#39;1&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        == 2); // <title> and <h2>
  CHECK(count(page, "data-pwned") == 2);
}

TEST_CASE("report html: the same run gives the same bytes", "[report][html]") {
  scratch_dir dir;
  auto db = recorded(dir, "scenarios/faults/outage.toml");
  auto first = page_of(dir, db);
  CHECK(page_of(dir, db) == first);
  auto stdout_page = execsim_cli(dir, fmt::format("report --db {} --format "
                                                  "html",
                                                  db));
  CHECK(stdout_page.status == 0);
  CHECK(stdout_page.out == first);
}

TEST_CASE("report html: --order draws only the orders chosen",
          "[report][html]") {
  scratch_dir dir;
  auto db = recorded(dir, "scenarios/faults/outage.toml");
  auto all = page_of(dir, db);
  CHECK(count(all, "data-lane=\"executor/o1\"") == 1);
  CHECK(count(all, "data-lane=\"executor/o2\"") == 1);
  auto one = page_of(dir, db, " --order o2");
  CHECK(count(one, "data-lane=\"executor/o1\"") == 0);
  CHECK(count(one, "data-lane=\"executor/o2\"") == 1);
  CHECK(count(one, "class=\"order-result") == 1);
  CHECK(count(one, "data-kind=\"arrow\"") > 0);
  CHECK(count(one, "data-kind=\"arrow\"") < count(all, "data-kind=\"arrow\""));
  CHECK(count(one, "executor/o1") == 0);
  // Repeated, and followed by the run id.
  auto both = page_of(dir, db, " --order o1 --order o2 1");
  CHECK(count(both, "data-lane=\"executor/o1\"") == 1);
  CHECK(count(both, "data-lane=\"executor/o2\"") == 1);
  CHECK(count(both, "data-kind=\"arrow\"")
        >= count(one, "data-kind=\"arrow\""));
}

TEST_CASE("report html: what cannot be done is exit 2", "[report][html]") {
  scratch_dir dir;
  auto db = recorded(dir, worked_timing_3);
  auto r = execsim_cli(dir, fmt::format("report --db {} --format html "
                                        "--order nosuch",
                                        db));
  CHECK(r.status == 2);
  CHECK(r.out == "execsim report: run 1 has no order nosuch\n");
  r = execsim_cli(dir, fmt::format("report --db {} --format html -o "
                                   "{}/no/such/dir/page.html",
                                   db, dir.path()));
  CHECK(r.status == 2);
  CHECK(r.out.find("cannot write the file") != std::string::npos);
}

TEST_CASE("html_escape: markup as entities, control characters visible",
          "[report][html]") {
  using execsim::cli::html_escape;
  CHECK(html_escape("<a href='x'>\"&\"</a>")
        == "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
  CHECK(html_escape("\x1b[31mred\xff") == "\\u001b[31mred\\xff");
  CHECK(html_escape("line\nnext \xc3\xa9") == "line\nnext \xc3\xa9");
}

TEST_CASE("report html: an answer's arrow starts when the exchange sent it, "
          "a delayed ack's too",
          "[report][html]") {
  scratch_dir dir;
  // The submit reaches the exchange at 20ms; its ack, delayed 1100ms,
  // arrives at 1.14s.
  auto db = recorded(dir, "scenarios/faults/delay_ack_late_during_backoff.toml");
  auto page = page_of(dir, db);
  CHECK(count(page, "<line class=\"arrow\" data-kind=\"arrow\" "
                    "data-t0=\"20000000\" data-t1=\"1140000000\"")
        == 1);
  CHECK(count(page, "submit_answer attempt=1 ack X-1 filled=10 @150.25 "
                    "(sent 20ms, arrived 1.14s)")
        == 1);
}
