// The reconciler (#17): the exact virtual times of its queries, its
// outcomes (found, not_found, gave_up) as order.reconciled, the
// `reconciliations` rows and execution_log's RECONCILED / UNRESOLVED,
// `unknown_resolved` at its edges, the loader's [reconciler] errors, and
// every shipped outage scenario resolved once a reconciler is added.
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include "tests/violation_rows.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::execsim_cli_in;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;
using execsim::testing::violation_rows;

namespace {

using rows_t = std::vector<std::vector<std::string>>;

// One order whose only attempt is lost (drop_request: the exchange never
// sees it) or fills X-1 at 20ms with its answer lost (drop_ack), and
// whose final check fails: STATUS_UNKNOWN at 1000 + 20 + 20 = 1040ms.
// latency is fixed at 20ms. lookup_lag 2s: X-1 shows from 2020ms, and a
// not_found is conclusive only for a query sent at or after
// 0 + submit_timeout 1s + lookup_lag 2s = 3s. The reconciler asks 250ms
// after the result, then 700ms after each inconclusive answer.
std::string lost_order(const std::string& kind, int max_queries,
                       const std::string& resolve_within) {
  return R"(name = "reconciler"
[executor]
max_attempts = 1
submit_timeout = "1s"
check_timeout = "500ms"
[exchange]
latency = "20ms"
lookup_lag = "2s"
[exchange.prices]
AAPL = "150.25"
[reconciler]
after = "250ms"
interval = "700ms"
max_queries = )" + std::to_string(max_queries) + R"(
resolve_within = ")" + resolve_within + R"("
[[orders]]
id = "o1"
quantity = 10
[[faults]]
order = "o1"
attempt = 1
kind = ")" + kind + R"("
[[faults]]
order = "o1"
attempt = 1
kind = "check_fail"
)";
}

/// Runs `text` recorded in `dir`/r.sqlite.
run_outcome run_recorded(const scratch_dir& dir, const std::string& text) {
  auto loaded = load_scenario_text(text, "reconciler.toml");
  INFO((loaded.errors.empty() ? "" : loaded.errors[0].to_string()));
  REQUIRE(loaded.errors.empty());
  std::string error;
  auto rec = recording::open(dir.file("r.sqlite"), error);
  INFO(error);
  REQUIRE(rec);
  run_options opt;
  opt.db = rec.get();
  auto out = run_scenario(*loaded.value, opt);
  INFO(out.error);
  REQUIRE(out.error.empty());
  return out;
}

/// When each query reached the exchange, and when each answer reached
/// the reconciler, as "N@ns".
std::vector<std::string> query_arrivals(raw_db& db) {
  return db.column(
    "SELECT substr(line, instr(line, 'query ') + 6, 1) || '@' || at_ns"
    " FROM trace WHERE line LIKE '% reconciler -> exchange: query %'"
    " ORDER BY seq");
}
std::vector<std::string> answer_arrivals(raw_db& db) {
  return db.column(
    "SELECT substr(line, instr(line, 'query_answer ') + 13) || '@' || at_ns"
    " FROM trace WHERE line LIKE '% -> reconciler: query_answer %'"
    " ORDER BY seq");
}

rows_t reconciled_events(raw_db& db) {
  return db.rows("SELECT at_ns, order_id, payload FROM events"
                 " WHERE channel = 'order.reconciled' ORDER BY seq");
}

rows_t reconciliation_rows(raw_db& db) {
  return db.rows("SELECT order_id, queries, outcome, coalesce(exchange_order_id,"
                 " '-'), coalesce(fill_price, '-'), unknown_at_ns,"
                 " coalesce(ended_at_ns, '-'), deadline_ns FROM reconciliations");
}

rows_t log_rows(raw_db& db) {
  return db.rows("SELECT order_id, action, at_ns FROM execution_log");
}

} // namespace

TEST_CASE("reconciler: found at its second query, the first shown too early",
          "[reconciler]") {
  scratch_dir dir;
  auto out = run_recorded(dir, lost_order("drop_ack", 10, "60s"));
  CHECK(out.pass);
  CHECK(out.violation_counts.empty());
  raw_db db{dir.file("r.sqlite")};
  // Query 1 sent 1040 + 250 = 1290ms, at the exchange 1310ms (X-1 shows
  // from 2020ms: not_found, too early to rule out), answered 1330ms;
  // query 2 sent 1330 + 700 = 2030ms, at the exchange 2050ms: found X-1.
  CHECK(query_arrivals(db)
        == std::vector<std::string>{"1@1310000000", "2@2050000000"});
  CHECK(answer_arrivals(db)
        == std::vector<std::string>{"1 order=o1 not_found@1330000000",
                                    "2 order=o1 found X-1@2070000000"});
  CHECK(reconciled_events(db)
        == rows_t{{"2070000000", "o1",
                   R"({"order_id":"o1","outcome":"found","exchange_order_id":"X-1","fill_price":"150.25","queries":2})"}});
  CHECK(reconciliation_rows(db)
        == rows_t{{"o1", "2", "found", "X-1", "150.25", "1040000000",
                   "2070000000", "61040000000"}});
  CHECK(log_rows(db)
        == rows_t{{"o1", "UNKNOWN", "1040000000"},
                  {"o1", "RECONCILED", "2070000000"}});
}

TEST_CASE("reconciler: ruled out by the first not_found sent once every "
          "submit would show",
          "[reconciler]") {
  scratch_dir dir;
  auto out = run_recorded(dir, lost_order("drop_request", 10, "60s"));
  CHECK(out.pass);
  CHECK(out.violation_counts.empty());
  raw_db db{dir.file("r.sqlite")};
  // Sent at 1290, 2030, 2770ms (before 3s: inconclusive) and 3510ms
  // (conclusive), each answered 40ms later, 700ms between answer and query.
  CHECK(query_arrivals(db)
        == std::vector<std::string>{"1@1310000000", "2@2050000000",
                                    "3@2790000000", "4@3530000000"});
  CHECK(answer_arrivals(db)
        == std::vector<std::string>{"1 order=o1 not_found@1330000000",
                                    "2 order=o1 not_found@2070000000",
                                    "3 order=o1 not_found@2810000000",
                                    "4 order=o1 not_found@3550000000"});
  CHECK(reconciled_events(db)
        == rows_t{{"3550000000", "o1",
                   R"({"order_id":"o1","outcome":"not_found","queries":4})"}});
  CHECK(reconciliation_rows(db)
        == rows_t{{"o1", "4", "not_found", "-", "-", "1040000000",
                   "3550000000", "61040000000"}});
  CHECK(log_rows(db)
        == rows_t{{"o1", "UNKNOWN", "1040000000"},
                  {"o1", "RECONCILED", "3550000000"}});
}

TEST_CASE("reconciler: gives up after max_queries, unknown_resolved broken",
          "[reconciler]") {
  scratch_dir dir;
  auto out = run_recorded(dir, lost_order("drop_request", 3, "60s"));
  CHECK_FALSE(out.pass);
  CHECK(violation_rows(out)
        == std::vector<std::string>{
          "unknown_resolved o1: gave up after 3 queries (max_queries) at "
          "2.81s: the order is still STATUS_UNKNOWN"});
  raw_db db{dir.file("r.sqlite")};
  CHECK(query_arrivals(db)
        == std::vector<std::string>{"1@1310000000", "2@2050000000",
                                    "3@2790000000"});
  CHECK(reconciled_events(db)
        == rows_t{{"2810000000", "o1",
                   R"({"order_id":"o1","outcome":"gave_up","queries":3})"}});
  CHECK(reconciliation_rows(db)
        == rows_t{{"o1", "3", "gave_up", "-", "-", "1040000000", "2810000000",
                   "61040000000"}});
  CHECK(log_rows(db)
        == rows_t{{"o1", "UNKNOWN", "1040000000"},
                  {"o1", "UNRESOLVED", "2810000000"}});
  CHECK(db.integer("SELECT count(*) FROM violations"
                   " WHERE invariant = 'unknown_resolved'")
        == 1);
}

TEST_CASE("unknown_resolved: resolved exactly at its deadline holds, one "
          "nanosecond later breaks",
          "[reconciler]") {
  // Ruled out at 3550ms; the result at 1040ms (no outage): the deadline is
  // 1040ms + resolve_within.
  SECTION("resolve_within 2.51s: deadline 3.55s, met") {
    scratch_dir dir;
    auto out = run_recorded(dir, lost_order("drop_request", 10, "2510ms"));
    CHECK(out.pass);
    CHECK(out.violation_counts.empty());
    raw_db db{dir.file("r.sqlite")};
    CHECK(db.text("SELECT deadline_ns FROM reconciliations") == "3550000000");
  }
  SECTION("resolve_within 2.509999999s: deadline missed by 1ns") {
    scratch_dir dir;
    auto out =
      run_recorded(dir, lost_order("drop_request", 10, "2509999999ns"));
    CHECK_FALSE(out.pass);
    CHECK(violation_rows(out)
          == std::vector<std::string>{
            "unknown_resolved o1: resolved (not_found) at 3.55s, after its "
            "deadline 3.549999999s (resolve_within 2.509999999s once faults "
            "stopped at 1.04s)"});
    raw_db db{dir.file("r.sqlite")};
    CHECK(log_rows(db)
          == rows_t{{"o1", "UNKNOWN", "1040000000"},
                    {"o1", "RECONCILED", "3550000000"}});
  }
}

TEST_CASE("reconciler: queries in an outage fail at once; the deadline "
          "counts from the outage's end",
          "[reconciler]") {
  auto text = lost_order("drop_ack", 10, "1s");
  text += R"([[faults]]
kind = "outage"
from = "1200ms"
until = "4s"
)";
  scratch_dir dir;
  auto out = run_recorded(dir, text);
  raw_db db{dir.file("r.sqlite")};
  // Sent at 1290, 1990, 2690, 3390ms: inside [1.2s, 4s), each fails at
  // once; the next goes 700ms later, 4090ms, at the exchange 4110ms: found.
  CHECK(db.column("SELECT detail || '@' || at_ns FROM faults"
                  " WHERE kind = 'outage' ORDER BY at_ns")
        == std::vector<std::string>{"query 1@1290000000", "query 2@1990000000",
                                    "query 3@2690000000",
                                    "query 4@3390000000"});
  CHECK(query_arrivals(db) == std::vector<std::string>{"5@4110000000"});
  CHECK(reconciliation_rows(db)
        == rows_t{{"o1", "5", "found", "X-1", "150.25", "1040000000",
                   "4130000000", "5000000000"}});
  CHECK(out.pass);
  CHECK(out.violation_counts.empty());
}

TEST_CASE("reconciler: bad [reconciler] values, file:line:column and exit "
          "status 2",
          "[reconciler][cli]") {
  struct bad {
    std::string line;
    std::string message;
  };
  const std::vector<bad> cases = {
    {R"(after = "-1s")",
     R"(bad.toml:3:9: reconciler.after: bad duration "-1s": expected a duration with a unit, like "250ms", "1.5s", "2m", "500us" or "20ns")"},
    {"after = 5",
     R"(bad.toml:3:9: reconciler.after: expected a duration string with a unit, like "250ms" (got integer 5))"},
    {R"(interval = "0s")",
     R"(bad.toml:3:12: reconciler.interval: must be > 0 (got "0s"))"},
    {"max_queries = 0",
     "bad.toml:3:15: reconciler.max_queries: must be between 1 and 1000000 "
     "(got 0)"},
    {"max_queries = 1000001",
     "bad.toml:3:15: reconciler.max_queries: must be between 1 and 1000000 "
     "(got 1000001)"},
    {R"(resolve_within = "0s")",
     R"(bad.toml:3:18: reconciler.resolve_within: must be > 0 (got "0s"))"},
    {R"(every = "1s")",
     "bad.toml:3:1: unknown key \"every\" in [reconciler] (expected one of: "
     "after, interval, max_queries, resolve_within)"},
  };
  for (const auto& c : cases) {
    scratch_dir dir;
    dir.write("bad.toml", "name = \"r\"\n[reconciler]\n" + c.line
                            + "\n[[orders]]\nid = \"o1\"\nquantity = 1\n");
    auto r = execsim_cli_in(dir.path(), dir, "run bad.toml --db r.sqlite");
    INFO(r.out);
    CHECK(r.status == 2);
    CHECK(r.out.find(c.message + "\n") != std::string::npos);
    CHECK(r.out.find("0 passed, 0 failed, 1 errors") != std::string::npos);
  }
}

namespace {

/// The shipped files (relative to scenarios/) with an outage, by grep.
std::vector<std::string> grep_outage_files() {
  scratch_dir dir;
  auto cmd = fmt::format(
    "cd '{}/scenarios' && grep -rlE --include='*.toml' "
    "'kind *= *\"outage\"|^ *outage *=' . | sort > '{}'",
    EXECSIM_SOURCE_DIR, dir.file("list.txt"));
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::vector<std::string> out;
  std::istringstream in{execsim::testing::slurp(dir.file("list.txt"))};
  for (std::string line; std::getline(in, line);)
    out.push_back(line.substr(2)); // "./"
  return out;
}

/// Every order that ended STATUS_UNKNOWN, and the outcome of its
/// order.reconciled ("none" if it has none).
std::map<std::string, std::string> unknown_outcomes(const row_batch& rows) {
  std::map<std::string, std::string> out;
  for (const auto& o : rows.orders)
    if (o.error_code == std::string{"STATUS_UNKNOWN"})
      out[o.order_id] = "none";
  for (const auto& e : rows.events) {
    if (e.channel != "order.reconciled" || out.count(e.order_id) == 0)
      continue;
    for (const char* outcome : {"found", "not_found", "gave_up"})
      if (e.payload.find(fmt::format("\"outcome\":\"{}\"", outcome))
          != std::string::npos)
        out[e.order_id] = outcome;
  }
  return out;
}

struct resolved_tally {
  int runs = 0;
  int unknown = 0;
};

/// Runs `sc` once (seed and explore as given); every STATUS_UNKNOWN order
/// is found or ruled out and unknown_resolved holds.
void check_resolved(const scenario& sc, const run_options& base,
                    resolved_tally& tally) {
  row_batch rows;
  run_options opt = base;
  opt.capture = &rows;
  auto out = run_scenario(sc, opt);
  INFO("seed " << out.seed);
  REQUIRE(out.error.empty());
  ++tally.runs;
  auto unknown = unknown_outcomes(rows);
  CHECK(rows.reconciliations.size() == unknown.size());
  for (const auto& [order, outcome] : unknown) {
    INFO("order " << order << ": " << outcome);
    CHECK((outcome == "found" || outcome == "not_found"));
    ++tally.unknown;
  }
  for (const auto& v : violation_rows(out))
    if (v.rfind("unknown_resolved", 0) == 0)
      FAIL_CHECK(v);
}

} // namespace

TEST_CASE("every shipped outage scenario with a reconciler: no order left "
          "STATUS_UNKNOWN",
          "[reconciler][shipped]") {
  // Listed so a reader sees what runs; the grep keeps the list complete.
  const std::vector<std::string> files = {
    "examples/asyncio/explore-original.toml",
    "examples/explore-deadline.toml",
    "examples/explore-original.toml",
    "explore/defaults.toml",
    "explore/original-service.toml",
    "faults/outage.toml",
    "load/thousand-orders.toml",
    "reconciler/outage_found_and_ruled_out.toml",
    "reconciler/outage_gives_up.toml",
  };
  REQUIRE(grep_outage_files() == files);
  // Asks every second, for up to 1000 queries: outlasts any outage shipped
  // or drawn ([explore] outage max 5s); resolved within 10s of its end.
  // Explore files run seeds 0..499 of their [explore] draws.
  reconciler_config reasonable;
  reasonable.present = true;
  reasonable.after = 1 * ns_per_s;
  reasonable.interval = 1 * ns_per_s;
  reasonable.max_queries = 1000;
  reasonable.resolve_within = 10 * ns_per_s;
  resolved_tally total;
  for (const auto& name : files) {
    INFO(name);
    auto loaded =
      load_scenario_file(std::string{EXECSIM_SOURCE_DIR} + "/scenarios/" + name);
    REQUIRE(loaded.errors.empty());
    auto sc = *loaded.value;
    sc.reconciler = reasonable;
    if (sc.explore.outage > 0) {
      for (std::uint64_t seed = 0; seed < 500; ++seed) {
        run_options opt;
        opt.explore = true;
        opt.seed = seed;
        opt.kind = "explore";
        check_resolved(sc, opt, total);
      }
    } else {
      check_resolved(sc, run_options{}, total);
    }
  }
  // The test means something only if outages left orders unknown.
  INFO(total.runs << " runs");
  CHECK(total.unknown > 0);
}
