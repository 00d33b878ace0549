// The SQLite recording: the contract's tables and views, writes, [[check]]
// queries, refused files, and several processes (one of them killed) writing
// the same file.
#include "sim/recording.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace execsim;

namespace {


using temp_dir = execsim::testing::scratch_dir;

using execsim::testing::raw_db;

using rows_t = std::vector<std::vector<std::string>>;

/// The contract's tables and columns (recording-schema.md), plus the
/// additions this project promises (runs.kind, faults.detail, trace).
const std::vector<std::pair<std::string, std::vector<std::string>>>
  expected_tables = {
    {"runs",
     {"run_id", "scenario", "file", "scenario_text", "seed", "verdict",
      "digest", "virtual_end_ns", "wall_ms", "started_at", "kind"}},
    {"orders",
     {"run_id", "order_id", "idem_key", "trader", "symbol", "side",
      "quantity", "price", "success", "exchange_order_id", "fill_price",
      "error", "error_code", "retry_count", "started_at_ns",
      "finished_at_ns"}},
    {"attempts",
     {"run_id", "order_id", "attempt", "sent_at_ns", "answered_at_ns",
      "outcome", "error_code"}},
    {"duplicate_checks",
     {"run_id", "order_id", "after_attempt", "sent_at_ns", "answered_at_ns",
      "outcome", "exchange_order_id"}},
    {"fills",
     {"run_id", "exchange_order_id", "idem_key", "order_id", "quantity",
      "price", "filled_at_ns"}},
    {"events", {"run_id", "seq", "at_ns", "channel", "order_id", "payload"}},
    {"faults", {"run_id", "at_ns", "kind", "order_id", "attempt", "detail"}},
    {"violations", {"run_id", "invariant", "order_id", "detail"}},
    {"trace", {"run_id", "seq", "at_ns", "line"}},
};

const std::vector<std::string> run_tables = {
  "orders", "attempts", "duplicate_checks", "fills",
  "events", "faults",   "violations",       "trace"};

run_header sample_header(std::uint64_t seed = 42) {
  run_header header;
  header.scenario = "drop_ack";
  header.file = "scenarios/drop_ack.toml";
  header.scenario_text = "name = \"drop_ack\"\nseed = 42\n";
  header.seed = seed;
  header.started_at = "2025-10-17T14:30:00Z";
  header.kind = "run";
  return header;
}

constexpr ns_t ms = ns_per_ms;

/// Five orders covering the views: o1 recovered by a check, o2 retried
/// and filled twice under one key, o3 failed after retries, o4 without a
/// result, o5 found by a check but failed.
row_batch sample_batch() {
  row_batch b;
  auto order = [&](std::string id, std::optional<bool> success,
                   int retry_count, ns_t started,
                   std::optional<ns_t> finished) -> order_row& {
    auto& o = b.orders.emplace_back();
    o.order_id = id;
    o.idem_key = "k" + id.substr(1);
    o.trader = "T1";
    o.symbol = "AAPL";
    o.side = "buy";
    o.quantity = 100;
    o.price = "150.25";
    o.success = success;
    o.retry_count = retry_count;
    o.started_at_ns = started;
    o.finished_at_ns = finished;
    return o;
  };
  auto& o1 = order("o1", true, 0, 0, 520 * ms);
  o1.exchange_order_id = "X1";
  o1.fill_price = "150.25";
  auto& o2 = order("o2", true, 1, 0, 1540 * ms);
  o2.side = "sell";
  o2.price = std::nullopt; // market
  o2.exchange_order_id = "X2";
  o2.fill_price = "150.00";
  auto& o3 = order("o3", false, 2, 100 * ms, 4100 * ms);
  o3.symbol = "MSFT";
  o3.error = "network error";
  o3.error_code = "RATE_LIMITED";
  order("o4", std::nullopt, 0, 200 * ms, std::nullopt);
  auto& o5 = order("o5", false, 0, 0, 600 * ms);
  o5.error_code = "STATUS_UNKNOWN";

  const auto none = std::nullopt;
  // o2's attempt 1 is answered late (after its timeout at 500ms), after
  // attempt 2 ended the order.
  b.attempts = {
    {"o1", 1, 0, none, "timeout", none, 500 * ms, none, false},
    {"o2", 1, 0, 2000 * ms, "timeout", none, 500 * ms, "ack", false},
    {"o2", 2, 1520 * ms, 1540 * ms, "ack", none, none, none, false},
    {"o3", 1, 100 * ms, 120 * ms, "rejected", "RATE_LIMITED", none, none,
     false},
    {"o3", 2, 1120 * ms, 1140 * ms, "rejected", "RATE_LIMITED", none, none,
     false},
    {"o3", 3, 3140 * ms, 3140 * ms, "network_error", none, none, none, false},
    {"o4", 1, 200 * ms, none, "timeout", none, none, none, false},
    {"o5", 1, 0, none, "timeout", none, 500 * ms, none, false},
  };
  b.checks = {
    {"o1", 1, 500 * ms, 520 * ms, "found", "X1"},
    {"o2", 1, 500 * ms, 520 * ms, "not_found", std::nullopt},
    {"o5", 1, 500 * ms, 520 * ms, "found", "X5"},
  };
  b.fills = {
    {"X1", "k1", "o1", 60, "150.25", 10 * ms},
    {"X1", "k1", "o1", 40, "150.25", 11 * ms}, // a second part, same order
    {"X2", "k2", "o2", 100, "150.00", 1530 * ms},
    {"X2b", "k2", "o2", 100, "150.00", 1531 * ms}, // the same key twice
  };
  b.events = {
    {1, 0, "order.execution_started", "o1", "{}"},
    {2, 520 * ms, "order.executed", "o1", "{\"exchange_order_id\":\"X1\"}"},
    {3, 520 * ms, "order.recovered", "o1", "{}"},
    {4, 1540 * ms, "order.executed", "o2", "{}"},
    {5, 4100 * ms, "order.execution_failed", "o3", "{}"},
    {6, 0, "status.snapshot", "", "{}"}, // about no order
  };
  b.faults = {
    {0, "drop_ack", "o1", 1, ""},
    {1000 * ms, "outage", std::nullopt, std::nullopt, "from=1s until=2s"},
  };
  b.violations = {{"terminal", "o4", "no result"}};
  b.trace = {{1, 0, "t=0 submit o1"},
             {2, 500 * ms, "t=500ms timeout o1"},
             {3, 520 * ms, "t=520ms found o1"}};
  return b;
}

std::int64_t write_run(recording& rec, const row_batch& batch,
                       bool pass = true) {
  auto id = rec.begin_run(sample_header());
  rec.write(id, batch);
  rec.finish_run(id, pass, "00ff", 5 * ns_per_s, 12.5);
  return id;
}

std::unique_ptr<recording> open_ok(const std::string& path) {
  std::string error;
  auto rec = recording::open(path, error);
  INFO(error);
  REQUIRE(rec != nullptr);
  return rec;
}

std::string open_error(const std::string& path) {
  std::string error;
  auto rec = recording::open(path, error);
  CHECK(rec == nullptr);
  return error;
}

/// Whether `table` has an index whose leading columns are `columns`.
bool has_index(raw_db& db, const std::string& table,
               const std::vector<std::string>& columns) {
  for (const auto& index :
       db.rows(fmt::format("SELECT name FROM pragma_index_list('{}')", table))) {
    auto have = db.rows(fmt::format(
      "SELECT name FROM pragma_index_info('{}') ORDER BY seqno", index[0]));
    if (have.size() < columns.size())
      continue;
    bool match = true;
    for (std::size_t i = 0; i < columns.size(); ++i)
      match = match && have[i][0] == columns[i];
    if (match)
      return true;
  }
  return false;
}

std::int64_t count_rows(raw_db& db, const std::string& table,
                        std::int64_t run_id) {
  return db.integer(
    fmt::format("SELECT count(*) FROM {} WHERE run_id = {}", table, run_id));
}

/// Kills and reaps a child that a failing test left behind.
struct child_guard {
  pid_t pid = -1;
  ~child_guard() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
};

} // namespace

TEST_CASE("a fresh file gets the contract's tables, columns, views and "
          "indexes",
          "[recording]") {
  temp_dir dir;
  auto path = dir.file("fresh.sqlite");
  auto rec = open_ok(path);
  raw_db db{path};
  for (const auto& [table, columns] : expected_tables) {
    auto info = db.rows(fmt::format("PRAGMA table_info({})", table));
    std::vector<std::string> have;
    for (auto& row : info)
      have.push_back(row[1]);
    for (const auto& column : columns) {
      INFO(table << "." << column);
      CHECK(std::find(have.begin(), have.end(), column) != have.end());
    }
  }
  // run_id INTEGER PRIMARY KEY and seed INTEGER, as the contract says.
  CHECK(db.rows("SELECT type, pk FROM pragma_table_info('runs') "
                "WHERE name = 'run_id'")
        == rows_t{{"INTEGER", "1"}});
  CHECK(db.text("SELECT type FROM pragma_table_info('runs') "
                "WHERE name = 'seed'")
        == "INTEGER");
  for (const char* view : {"execution_log", "retried_orders",
                           "recovered_orders", "duplicate_fills",
                           "time_to_result", "found_by_check"}) {
    INFO(view);
    CHECK(db.integer(fmt::format("SELECT count(*) FROM sqlite_master "
                                 "WHERE type = 'view' AND name = '{}'",
                                 view))
          == 1);
  }
  CHECK(db.rows("SELECT name FROM pragma_table_info('execution_log')")
        == rows_t{{"run_id"}, {"order_id"}, {"action"}, {"at_ns"}});
  CHECK(db.rows("SELECT name FROM pragma_table_info('time_to_result')")
        == rows_t{{"run_id"},
                  {"order_id"},
                  {"started_at_ns"},
                  {"finished_at_ns"},
                  {"duration_ns"}});
  for (const auto& table : run_tables) {
    INFO(table);
    CHECK(has_index(db, table, {"run_id"}));
  }
  for (const char* table :
       {"orders", "attempts", "duplicate_checks", "fills", "events"}) {
    INFO(table);
    CHECK(has_index(db, table, {"run_id", "order_id"}));
  }
  CHECK(has_index(db, "orders", {"run_id", "idem_key"}));
  CHECK(has_index(db, "fills", {"run_id", "idem_key"}));
  CHECK(db.integer("PRAGMA user_version") == recording_schema_version);
  CHECK(db.text("PRAGMA journal_mode") == "wal");
  // The writer's own settings.
  auto setting = [&](const char* pragma) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(rec->handle(), pragma, -1, &stmt, nullptr)
            == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    auto value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
  };
  CHECK(setting("PRAGMA busy_timeout") == 60'000);
  CHECK(setting("PRAGMA synchronous") == 1); // NORMAL
  CHECK(setting("PRAGMA foreign_keys") == 1);
}

TEST_CASE("write stores every row of the batch", "[recording]") {
  temp_dir dir;
  auto path = dir.file("rows.sqlite");
  auto rec = open_ok(path);
  auto batch = sample_batch();
  auto id = rec->begin_run(sample_header());
  // Two batches, as the recorder flushes them.
  row_batch first;
  first.orders = batch.orders;
  first.events = batch.events;
  rec->write(id, first);
  auto rest = batch;
  rest.orders.clear();
  rest.events.clear();
  rec->write(id, rest);
  rec->finish_run(id, true, "00ff", 5 * ns_per_s, 12.5);

  raw_db db{path};
  CHECK(db.integer("SELECT count(*) FROM runs") == 1);
  CHECK(count_rows(db, "orders", id) == 5);
  CHECK(count_rows(db, "attempts", id) == 8);
  CHECK(count_rows(db, "duplicate_checks", id) == 3);
  CHECK(count_rows(db, "fills", id) == 4);
  CHECK(count_rows(db, "events", id) == 6);
  CHECK(count_rows(db, "faults", id) == 2);
  CHECK(count_rows(db, "violations", id) == 1);
  CHECK(count_rows(db, "trace", id) == 3);
  CHECK(db.rows(fmt::format(
          "SELECT scenario, file, scenario_text, seed, typeof(seed), verdict,"
          " digest, virtual_end_ns, wall_ms, started_at, kind FROM runs"
          " WHERE run_id = {}",
          id))
        == rows_t{{"drop_ack", "scenarios/drop_ack.toml",
                   "name = \"drop_ack\"\nseed = 42\n", "42", "integer", "pass",
                   "00ff", "5000000000", "12.5", "2025-10-17T14:30:00Z",
                   "run"}});
  CHECK(db.rows("SELECT order_id, idem_key, side, price, success,"
                " exchange_order_id, error_code, retry_count, finished_at_ns"
                " FROM orders ORDER BY order_id")
        == rows_t{
          {"o1", "k1", "buy", "150.25", "1", "X1", "NULL", "0", "520000000"},
          {"o2", "k2", "sell", "NULL", "1", "X2", "NULL", "1", "1540000000"},
          {"o3", "k3", "buy", "150.25", "0", "NULL", "RATE_LIMITED", "2",
           "4100000000"},
          {"o4", "k4", "buy", "150.25", "NULL", "NULL", "NULL", "0", "NULL"},
          {"o5", "k5", "buy", "150.25", "0", "NULL", "STATUS_UNKNOWN", "0",
           "600000000"}});
  CHECK(db.rows("SELECT order_id, attempt, answered_at_ns, outcome,"
                " error_code FROM attempts WHERE order_id = 'o3'"
                " ORDER BY attempt")
        == rows_t{{"o3", "1", "120000000", "rejected", "RATE_LIMITED"},
                  {"o3", "2", "1140000000", "rejected", "RATE_LIMITED"},
                  {"o3", "3", "3140000000", "network_error", "NULL"}});
  CHECK(db.rows("SELECT attempt, answered_at_ns, outcome, timed_out_at_ns,"
                " late_answer, abandoned FROM attempts WHERE order_id = 'o2'"
                " ORDER BY attempt")
        == rows_t{{"1", "2000000000", "timeout", "500000000", "ack", "0"},
                  {"2", "1540000000", "ack", "NULL", "NULL", "0"}});
  CHECK(db.rows("SELECT order_id, after_attempt, outcome, exchange_order_id"
                " FROM duplicate_checks ORDER BY order_id")
        == rows_t{{"o1", "1", "found", "X1"},
                  {"o2", "1", "not_found", "NULL"},
                  {"o5", "1", "found", "X5"}});
  CHECK(db.rows("SELECT seq, channel, order_id FROM events WHERE seq = 6")
        == rows_t{{"6", "status.snapshot", "NULL"}});
  CHECK(db.rows("SELECT kind, order_id, attempt, detail FROM faults"
                " ORDER BY at_ns")
        == rows_t{{"drop_ack", "o1", "1", ""},
                  {"outage", "NULL", "NULL", "from=1s until=2s"}});
  CHECK(db.rows("SELECT invariant, order_id, detail FROM violations")
        == rows_t{{"terminal", "o4", "no result"}});
  CHECK(db.rows("SELECT seq, at_ns, line FROM trace ORDER BY seq").back()
        == std::vector<std::string>{"3", "520000000", "t=520ms found o1"});

  SECTION("a failed run and the largest seed") {
    auto header = sample_header(
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    header.kind = "explore";
    auto id2 = rec->begin_run(header);
    rec->finish_run(id2, false, "", 0, 0.25);
    CHECK(db.rows(fmt::format("SELECT seed, verdict, kind FROM runs"
                              " WHERE run_id = {}",
                              id2))
          == rows_t{{"9223372036854775807", "fail", "explore"}});
  }
}

TEST_CASE("the views give the right rows", "[recording]") {
  temp_dir dir;
  auto path = dir.file("views.sqlite");
  auto rec = open_ok(path);
  auto id = write_run(*rec, sample_batch());
  // A second run with rows of the same ids must not leak into the first.
  auto other = write_run(*rec, sample_batch());
  REQUIRE(other != id);
  raw_db db{path};
  auto where = fmt::format(" WHERE run_id = {}", id);

  CHECK(db.rows("SELECT order_id, action, at_ns FROM execution_log" + where)
        == rows_t{{"o1", "EXECUTED", "520000000"},
                  {"o1", "RECOVERED", "520000000"},
                  {"o2", "EXECUTED", "1540000000"},
                  {"o3", "FAILED", "4100000000"}});
  CHECK(db.rows("SELECT order_id, retry_count, success, error_code,"
                " attempts, summary FROM retried_orders"
                + where + " ORDER BY order_id")
        == rows_t{{"o2", "1", "1", "NULL", "2", "1:timeout, 2:ack"},
                  {"o3", "2", "0", "RATE_LIMITED", "3",
                   "1:rejected(RATE_LIMITED), 2:rejected(RATE_LIMITED), "
                   "3:network_error"}});
  CHECK(db.rows("SELECT order_id, exchange_order_id, retry_count,"
                " finished_at_ns, found_after_attempt, found_checks"
                " FROM recovered_orders"
                + where)
        == rows_t{{"o1", "X1", "0", "520000000", "1", "1"}});
  CHECK(db.rows("SELECT idem_key, exchange_orders, fills FROM duplicate_fills"
                + where)
        == rows_t{{"k2", "2", "2"}});
  CHECK(db.rows("SELECT order_id, started_at_ns, finished_at_ns, duration_ns"
                " FROM time_to_result"
                + where + " ORDER BY order_id")
        == rows_t{{"o1", "0", "520000000", "520000000"},
                  {"o2", "0", "1540000000", "1540000000"},
                  {"o3", "100000000", "4100000000", "4000000000"},
                  {"o4", "200000000", "NULL", "NULL"},
                  {"o5", "0", "600000000", "600000000"}});
  // Every view is per run: the second run has the same counts.
  CHECK(db.integer("SELECT count(*) FROM execution_log") == 8);
  CHECK(db.integer("SELECT count(*) FROM duplicate_fills") == 2);
}

TEST_CASE("query_scalar returns one value or says why not", "[recording]") {
  temp_dir dir;
  auto path = dir.file("query.sqlite");
  auto rec = open_ok(path);
  auto id = rec->begin_run(sample_header(), true);
  rec->write(id, sample_batch());
  std::string error;

  SECTION("values, inside the open run") {
    auto count = rec->query_scalar(
      "SELECT count(*) FROM fills WHERE run_id = :run", id, error);
    REQUIRE(count);
    CHECK(std::get<std::int64_t>(*count) == 4);
    auto verdict = rec->query_scalar(
      "SELECT verdict FROM runs WHERE run_id = :run", id, error);
    REQUIRE(verdict);
    CHECK(std::get<std::string>(*verdict) == "running");
    auto real = rec->query_scalar("SELECT 1.5", id, error);
    REQUIRE(real);
    CHECK(std::get<double>(*real) == 1.5);
    // Without :run, with a trailing ';' and a comment.
    auto runs = rec->query_scalar("SELECT count(*) FROM runs; -- all", id,
                                  error);
    REQUIRE(runs);
    CHECK(std::get<std::int64_t>(*runs) == 1);
    // :run used twice.
    auto twice = rec->query_scalar(
      "SELECT count(*) FROM orders WHERE run_id = :run AND :run > 0", id,
      error);
    REQUIRE(twice);
    CHECK(std::get<std::int64_t>(*twice) == 5);
    auto price = rec->query_scalar(
      "SELECT fill_price FROM orders WHERE run_id = :run AND order_id = 'o2'",
      id, error);
    REQUIRE(price);
    CHECK(std::get<std::string>(*price) == "150.00");
  }

  SECTION("after the run") {
    rec->finish_run(id, true, "00ff", 0, 1.0);
    auto verdict = rec->query_scalar(
      "SELECT verdict FROM runs WHERE run_id = :run", id, error);
    REQUIRE(verdict);
    CHECK(std::get<std::string>(*verdict) == "pass");
  }

  SECTION("errors") {
    auto fails = [&](const std::string& sql) {
      error.clear();
      auto value = rec->query_scalar(sql, id, error);
      CHECK_FALSE(value);
      return error;
    };
    CHECK(fails("SELECT 1 WHERE 0") == "query returned no row");
    CHECK(fails("SELECT 1 UNION ALL SELECT 2")
          == "query returned more than one row");
    CHECK(fails("SELECT 1, 2") == "query returned 2 columns (expected 1)");
    CHECK(fails("SELECT NULL") == "query returned NULL");
    CHECK(fails("SELECT price FROM orders WHERE run_id = :run"
                " AND order_id = 'o2'")
          == "query returned NULL");
    CHECK(fails("SELEC 1") == "near \"SELEC\": syntax error");
    CHECK(fails("SELECT count(*) FROM nope") == "no such table: nope");
    CHECK(fails("") == "query is empty");
    CHECK(fails("SELECT 1; SELECT 2") == "query has more than one statement");
    CHECK(fails("SELECT :other") == "query has parameter :other; only :run "
                                    "is bound");
    CHECK(fails("DELETE FROM orders WHERE run_id = :run RETURNING 1")
          == "query is not read-only: DELETE from orders is refused in a "
             "check");
    // The refused statements changed nothing.
    auto count = rec->query_scalar(
      "SELECT count(*) FROM orders WHERE run_id = :run", id, error);
    REQUIRE(count);
    CHECK(std::get<std::int64_t>(*count) == 5);
  }
  rec->abort_run();
}

TEST_CASE("an aborted run leaves no rows", "[recording]") {
  temp_dir dir;
  auto path = dir.file("abort.sqlite");
  auto rec = open_ok(path);
  rec->abort_run(); // nothing open: harmless
  auto kept = write_run(*rec, sample_batch());
  auto id = rec->begin_run(sample_header());
  rec->write(id, sample_batch());
  rec->abort_run();
  rec->abort_run(); // twice: harmless
  raw_db db{path};
  CHECK(db.integer("SELECT count(*) FROM runs") == 1);
  CHECK(count_rows(db, "runs", id) == 0);
  for (const auto& table : run_tables) {
    INFO(table);
    CHECK(count_rows(db, table, id) == 0);
  }
  CHECK(count_rows(db, "orders", kept) == 5);
  CHECK_THROWS_WITH(rec->write(id, sample_batch()),
                    Catch::Contains("not the open run"));
  CHECK_THROWS_WITH(rec->finish_run(id, true, "", 0, 0),
                    Catch::Contains("not the open run"));

  SECTION("a failed write ends the run") {
    auto id2 = rec->begin_run(sample_header());
    auto batch = sample_batch();
    batch.orders.push_back(batch.orders.front()); // o1 twice
    CHECK_THROWS_WITH(rec->write(id2, batch),
                      Catch::Contains("inserting into orders")
                        && Catch::Contains("UNIQUE"));
    CHECK_THROWS(rec->finish_run(id2, true, "", 0, 0));
    CHECK(db.integer("SELECT count(*) FROM runs") == 1);
    CHECK(db.integer("SELECT count(*) FROM orders") == 5);
  }

  SECTION("a run cannot begin inside another") {
    auto id2 = rec->begin_run(sample_header());
    CHECK_THROWS_WITH(rec->begin_run(sample_header()),
                      Catch::Contains("is open"));
    rec->finish_run(id2, true, "", 0, 0);
    CHECK(db.integer("SELECT count(*) FROM runs") == 2);
  }

  SECTION("destroying the recording rolls the open run back") {
    auto id2 = rec->begin_run(sample_header());
    rec->write(id2, sample_batch());
    rec.reset();
    CHECK(db.integer("SELECT count(*) FROM runs") == 1);
    CHECK(db.integer("SELECT count(*) FROM orders") == 5);
  }
}

TEST_CASE("files that are not this execsim's are refused", "[recording]") {
  temp_dir dir;

  SECTION("a newer schema version") {
    auto path = dir.file("newer.sqlite");
    {
      raw_db db{path};
      db.exec(fmt::format("CREATE TABLE runs (run_id INTEGER PRIMARY KEY);"
                          "PRAGMA user_version = {}",
                          recording_schema_version + 1));
    }
    CHECK(open_error(path)
          == fmt::format("{}: recording schema version {} is newer than this "
                         "execsim supports ({}); upgrade execsim",
                         path, recording_schema_version + 1,
                         recording_schema_version));
    // Refused without a change: still that version, not switched to WAL.
    raw_db db{path};
    CHECK(db.integer("PRAGMA user_version") == recording_schema_version + 1);
    CHECK(db.text("PRAGMA journal_mode") == "delete");
  }

  SECTION("not SQLite") {
    auto path = dir.file("notes.txt");
    std::ofstream{path} << "these are notes, not a database\n"
                        << std::string(2000, 'x');
    CHECK(open_error(path)
          == path + ": not an SQLite database (file is not a database)");
  }

  SECTION("another program's database") {
    auto path = dir.file("other.sqlite");
    {
      raw_db db{path};
      db.exec("CREATE TABLE customers (id INTEGER, name TEXT)");
    }
    CHECK(open_error(path)
          == path
               + ": not an execsim recording (it has tables but no runs "
                 "table)");
  }

  SECTION("a runs table that is not ours") {
    auto path = dir.file("runs.sqlite");
    {
      raw_db db{path};
      db.exec("CREATE TABLE runs (id INTEGER, athlete TEXT)");
    }
    CHECK(open_error(path)
          == path
               + ": not an execsim recording (table runs has no column "
                 "run_id)");
    raw_db db{path};
    CHECK(db.integer("PRAGMA user_version") == 0);
    CHECK(db.integer("SELECT count(*) FROM sqlite_master") == 1);
  }

  SECTION("a version-0 file whose runs table fits is upgraded") {
    auto path = dir.file("prototype.sqlite");
    {
      raw_db db{path};
      db.exec("CREATE TABLE runs (run_id INTEGER PRIMARY KEY, scenario TEXT,"
              " file TEXT, scenario_text TEXT, seed INTEGER, verdict TEXT,"
              " digest TEXT, virtual_end_ns INTEGER, wall_ms REAL,"
              " started_at TEXT, kind TEXT);"
              "INSERT INTO runs (scenario, verdict) VALUES ('old', 'pass')");
    }
    auto rec = open_ok(path);
    write_run(*rec, sample_batch());
    raw_db db{path};
    CHECK(db.integer("PRAGMA user_version") == recording_schema_version);
    CHECK(db.integer("SELECT count(*) FROM runs") == 2);
    CHECK(db.integer("SELECT count(*) FROM orders") == 5);
  }

  SECTION("a path that cannot be opened") {
    auto path = dir.file("missing/dir/x.sqlite");
    CHECK_THAT(open_error(path), Catch::StartsWith(path + ": cannot open: "));
  }

  SECTION("an empty file becomes a recording") {
    auto path = dir.file("empty.sqlite");
    std::ofstream{path}.flush();
    auto rec = open_ok(path);
    raw_db db{path};
    CHECK(db.integer("PRAGMA user_version") == recording_schema_version);
  }

  SECTION("a version-1 file is migrated and keeps its runs") {
    auto path = dir.file("v1.sqlite");
    {
      raw_db db{path};
      db.exec(execsim::testing::slurp(std::string{EXECSIM_SOURCE_DIR}
                                      + "/tests/data/recording/"
                                        "released_v1.sql")
              + "PRAGMA user_version = 1;"
                "INSERT INTO runs (scenario, file, scenario_text, seed,"
                " verdict, started_at) VALUES ('old', 'old.toml', '', 1,"
                " 'pass', 'then')");
    }
    auto rec = open_ok(path);
    raw_db db{path};
    CHECK(db.integer("PRAGMA user_version") == recording_schema_version);
    CHECK(db.integer("SELECT count(*) FROM runs") == 1);
    CHECK(db.integer("SELECT count(*) FROM arrivals") == 0);
  }
}

TEST_CASE("reopening a recording keeps its runs", "[recording]") {
  temp_dir dir;
  auto path = dir.file("reopen.sqlite");
  std::int64_t first, second;
  {
    auto rec = open_ok(path);
    first = write_run(*rec, sample_batch());
    second = write_run(*rec, sample_batch(), false);
  }
  auto rec = open_ok(path);
  auto third = write_run(*rec, sample_batch());
  CHECK(first < second);
  CHECK(second < third);
  raw_db db{path};
  CHECK(db.rows("SELECT run_id, verdict FROM runs ORDER BY run_id")
        == rows_t{{std::to_string(first), "pass"},
                  {std::to_string(second), "fail"},
                  {std::to_string(third), "pass"}});
  CHECK(db.integer("SELECT count(*) FROM orders") == 15);
}

TEST_CASE("four processes writing one new file lose no run",
          "[recording][processes]") {
  temp_dir dir;
  auto path = dir.file("shared.sqlite");
  constexpr int processes = 4;
  constexpr int runs_each = 50;
  std::vector<pid_t> children;
  for (int p = 0; p < processes; ++p) {
    auto pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // The child: its own connection; _exit so no test machinery runs.
      int status = 0;
      try {
        std::string error;
        auto rec = recording::open(path, error);
        if (!rec)
          throw std::runtime_error(error);
        auto batch = sample_batch();
        for (int i = 0; i < runs_each; ++i)
          write_run(*rec, batch);
      } catch (const std::exception& ex) {
        std::fprintf(stderr, "child %d: %s\n", p, ex.what());
        status = 1;
      }
      _exit(status);
    }
    children.push_back(pid);
  }
  for (auto pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  raw_db db{path};
  CHECK(db.integer("SELECT count(*) FROM runs") == processes * runs_each);
  CHECK(db.integer("SELECT count(DISTINCT run_id) FROM orders")
        == processes * runs_each);
  CHECK(db.integer("SELECT count(*) FROM orders")
        == 5 * processes * runs_each);
  CHECK(db.integer("SELECT count(*) FROM runs WHERE verdict <> 'pass'") == 0);
  CHECK(db.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a writer killed in the middle of a run leaves no trace of it",
          "[recording][processes]") {
  temp_dir dir;
  auto path = dir.file("killed.sqlite");
  std::int64_t kept;
  {
    auto rec = open_ok(path);
    kept = write_run(*rec, sample_batch()); // committed before: survives
  }
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  child_guard child;
  child.pid = fork();
  REQUIRE(child.pid >= 0);
  if (child.pid == 0) {
    close(pipe_fds[0]);
    alarm(60); // never outlive a parent that crashed
    try {
      std::string error;
      auto rec = recording::open(path, error);
      if (!rec)
        throw std::runtime_error(error);
      auto id = rec->begin_run(sample_header());
      rec->write(id, sample_batch());
      if (write(pipe_fds[1], &id, sizeof id) != sizeof id)
        _exit(2);
      for (;;)
        pause(); // killed here, the transaction open
    } catch (const std::exception& ex) {
      std::fprintf(stderr, "child: %s\n", ex.what());
      _exit(1);
    }
  }
  close(pipe_fds[1]);
  std::int64_t id = -1;
  auto got = read(pipe_fds[0], &id, sizeof id);
  close(pipe_fds[0]);
  REQUIRE(got == static_cast<ssize_t>(sizeof id));

  {
    // While the child holds the run open, readers see none of it...
    raw_db db{path};
    CHECK(db.integer("SELECT count(*) FROM runs") == 1);
    CHECK(count_rows(db, "runs", id) == 0);
    // ... and another writer waits, then gives up with a clear error.
    auto rec = open_ok(path);
    sqlite3_busy_timeout(rec->handle(), 200);
    CHECK_THROWS_WITH(rec->begin_run(sample_header()),
                      Catch::Contains("locked by another writer"));
  }

  REQUIRE(kill(child.pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(child.pid, &status, 0) == child.pid);
  child.pid = -1;
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  raw_db db{path};
  CHECK(db.text("PRAGMA integrity_check") == "ok");
  CHECK(db.integer("SELECT count(*) FROM runs") == 1);
  CHECK(count_rows(db, "runs", id) == 0);
  for (const auto& table : run_tables) {
    INFO(table);
    CHECK(db.integer(fmt::format("SELECT count(*) FROM {}", table))
          == count_rows(db, table, kept));
  }
  // The lock died with the child: the next run is written at once.
  auto rec = open_ok(path);
  auto next = write_run(*rec, sample_batch());
  CHECK(db.integer("SELECT count(*) FROM runs") == 2);
  CHECK(count_rows(db, "orders", next) == 5);
}
