// JUnit XML as Jenkins and GitLab read it (#15): testsuites > testsuite >
// testcase with at most one <failure> or <error>, counts that match the
// testcases and the console summary, a broken executor program as an
// <error> with its message, classname the scenario's folder.
#include "tests/cli_support.hpp"

#include "libexec/run/junit.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <regex>
#include <vector>

using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

struct element {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::vector<element> children;
};

std::string unescape(std::string s) {
  static const std::pair<const char*, const char*> entities[] = {
    {"&quot;", "\""}, {"&apos;", "'"}, {"&lt;", "<"}, {"&gt;", ">"},
    {"&amp;", "&"}};
  for (const auto& [from, to] : entities)
    for (auto at = s.find(from); at != std::string::npos;
         at = s.find(from, at + 1))
      s.replace(at, std::string(from).size(), to);
  return s;
}

/// Enough of XML for what a JUnit writer emits: the declaration, nested
/// elements with attributes, text (ignored). Fails the test if tags do not
/// nest.
element parse_xml(const std::string& xml) {
  static const std::regex tag{R"(<(/?)([A-Za-z_][\w-]*)((?:\s+[\w-]+="[^"]*")*)\s*(/?)>)"};
  static const std::regex attr{R"re(([\w-]+)="([^"]*)")re"};
  element root;
  std::vector<element*> open{&root};
  REQUIRE(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0) == 0);
  for (std::sregex_iterator i(xml.begin(), xml.end(), tag), end; i != end;
       ++i) {
    const auto& m = *i;
    if (m[1] == "/") {
      REQUIRE(open.size() > 1);
      REQUIRE(open.back()->name == m[2].str());
      open.pop_back();
      continue;
    }
    element e;
    e.name = m[2];
    auto attrs = m[3].str();
    for (std::sregex_iterator a(attrs.begin(), attrs.end(), attr); a != end;
         ++a)
      e.attrs[(*a)[1]] = unescape((*a)[2]);
    open.back()->children.push_back(std::move(e));
    if (m[4] != "/")
      open.push_back(&open.back()->children.back());
  }
  REQUIRE(open.size() == 1);
  REQUIRE(root.children.size() == 1);
  return root.children[0];
}

struct counts {
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t errors = 0;
};

/// Checks the structure reporters rely on; returns the totals.
counts check_structure(const element& suites) {
  REQUIRE(suites.name == "testsuites");
  counts all;
  for (const auto& suite : suites.children) {
    REQUIRE(suite.name == "testsuite");
    counts c;
    for (const auto& tc : suite.children) {
      REQUIRE(tc.name == "testcase");
      CHECK(tc.attrs.count("name") == 1);
      CHECK(tc.attrs.count("classname") == 1);
      CHECK(tc.attrs.count("time") == 1);
      REQUIRE(tc.children.size() <= 1);
      ++c.tests;
      for (const auto& child : tc.children) {
        CHECK((child.name == "failure" || child.name == "error"));
        CHECK(child.attrs.count("message") == 1);
        (child.name == "failure" ? c.failures : c.errors) += 1;
      }
    }
    CHECK(suite.attrs.at("tests") == std::to_string(c.tests));
    CHECK(suite.attrs.at("failures") == std::to_string(c.failures));
    CHECK(suite.attrs.at("errors") == std::to_string(c.errors));
    all.tests += c.tests;
    all.failures += c.failures;
    all.errors += c.errors;
  }
  CHECK(suites.attrs.at("tests") == std::to_string(all.tests));
  CHECK(suites.attrs.at("failures") == std::to_string(all.failures));
  CHECK(suites.attrs.at("errors") == std::to_string(all.errors));
  return all;
}

const element* find_case(const element& suites, const std::string& name) {
  for (const auto& suite : suites.children)
    for (const auto& tc : suite.children)
      if (tc.attrs.at("name") == name)
        return &tc;
  return nullptr;
}

constexpr const char* failing_scenario = R"(name = "expects a failure, gets a fill"
seed = 1
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
at = "0s"
quantity = 100
timestamp = "2025-10-17T14:30:00Z"
[[expect]]
order = "o1"
success = false
)";

constexpr const char* broken_program = R"(name = "an executor program that speaks no protocol"
seed = 1
[executor]
kind = "process"
command = ["sh", "-c", "echo not-json; cat > /dev/null"]
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
at = "0s"
quantity = 100
timestamp = "2025-10-17T14:30:00Z"
)";

} // namespace

TEST_CASE("JUnit counts are the console's; an executor program error is an "
          "<error>",
          "[cli][junit]") {
  scratch_dir dir;
  dir.write("fail.toml", failing_scenario);
  dir.write("broken.toml", broken_program);
  auto junit = dir.file("junit.xml");
  auto r = execsim_cli(dir, fmt::format("run scenarios/spec {0}/fail.toml "
                                        "{0}/broken.toml {0}/missing.toml "
                                        "tests/malformed/unknown_fault_kind.toml "
                                        "--db {0}/j.sqlite --junit {1}",
                                        dir.path(), junit));
  INFO(r.out);
  CHECK(r.status == 2);
  CHECK(r.out.find("3 passed, 1 failed, 3 errors  (") != std::string::npos);
  auto suites = parse_xml(slurp(junit));
  auto c = check_structure(suites);
  CHECK(c.tests == 7);
  CHECK(c.failures == 1);
  CHECK(c.errors == 3);

  const auto* spec = find_case(suites, "spec worked timing 1: drop_ack on "
                                       "attempt 1");
  REQUIRE(spec != nullptr);
  CHECK(spec->attrs.at("classname") == "scenarios.spec");
  CHECK(spec->children.empty());

  const auto* fail = find_case(suites, "expects a failure, gets a fill");
  REQUIRE(fail != nullptr);
  REQUIRE(fail->children.size() == 1);
  CHECK(fail->children[0].name == "failure");

  const auto* broken = find_case(suites, "an executor program that speaks no "
                                         "protocol");
  REQUIRE(broken != nullptr);
  REQUIRE(broken->children.size() == 1);
  CHECK(broken->children[0].name == "error");
  const auto& message = broken->children[0].attrs.at("message");
  CHECK(message.find("not-json") != std::string::npos);
  CHECK(message.find("invariant") == std::string::npos);

  const auto* missing = find_case(suites, dir.file("missing.toml"));
  REQUIRE(missing != nullptr);
  CHECK(missing->children.at(0).name == "error");
  CHECK(missing->children.at(0).attrs.at("message")
        == "no such file or directory");
}

TEST_CASE("JUnit classname is the folder with dots replaced", "[junit]") {
  using execsim::cli::junit_classname;
  CHECK(junit_classname("scenarios/spec/worked_timing_1_drop_ack.toml")
        == "scenarios.spec");
  CHECK(junit_classname("./scenarios/v1.2/x.toml") == "scenarios.v1_2");
  CHECK(junit_classname("/tmp/a/x.toml") == "tmp.a");
  CHECK(junit_classname("x.toml") == "execsim");
}
