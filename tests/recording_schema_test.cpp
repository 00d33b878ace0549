// The recording's schema is a public contract: the tables, now described
// once (sim/record_tables.cpp), must give exactly the schema execsim
// released (tests/data/recording/released_v*.sql), and a file of the
// released version 1 must migrate to it.
#include "sim/record_tables.hpp"
#include "sim/recording.hpp"
#include "sim/recording_schema.hpp"

#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>

#include <string>
#include <vector>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

std::string released(const std::string& name) {
  return execsim::testing::slurp(std::string{EXECSIM_SOURCE_DIR}
                                 + "/tests/data/recording/" + name);
}

/// SQL without comments, blanks collapsed, none around punctuation: two
/// statements that mean the same compare equal.
std::string normalized(const std::string& sql) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n')
        ++i;
      space = true;
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\t') {
      space = true;
      continue;
    }
    bool punct = c == '(' || c == ')' || c == ',';
    bool after_punct = !out.empty()
                       && (out.back() == '(' || out.back() == ')'
                           || out.back() == ',');
    if (space && !punct && !after_punct && !out.empty())
      out += ' ';
    space = false;
    out += c;
  }
  return out;
}

/// Everything SQLite knows of the schema, in creation order: each object's
/// normalized SQL, and each table's columns, indexes and foreign keys.
std::vector<std::string> schema_of(const std::string& path) {
  raw_db db{path};
  std::vector<std::string> out;
  for (auto& row : db.rows("SELECT type, name, tbl_name, sql FROM sqlite_master"
                           " ORDER BY rowid")) {
    out.push_back(fmt::format("{} {} on {}: {}", row[0], row[1], row[2],
                              normalized(row[3])));
    if (row[0] != "table")
      continue;
    for (auto& c : db.rows(fmt::format("PRAGMA table_xinfo({})", row[1])))
      out.push_back(fmt::format("  column {}", fmt::join(c, "|")));
    for (auto& k : db.rows(fmt::format("PRAGMA foreign_key_list({})", row[1])))
      out.push_back(fmt::format("  foreign key {}", fmt::join(k, "|")));
    for (auto& i : db.rows(fmt::format("PRAGMA index_list({})", row[1])))
      out.push_back(fmt::format("  index {}", fmt::join(i, "|")));
  }
  out.push_back(fmt::format("user_version {}",
                            db.integer("PRAGMA user_version")));
  return out;
}

/// A file made by the released SQL of versions 1 to `version`, as the
/// execsim of that version left it.
std::string released_file(const scratch_dir& dir, int version) {
  auto path = dir.file(fmt::format("released_v{}.sqlite", version));
  raw_db db{path};
  for (int v = 1; v <= version; ++v)
    db.exec(released(fmt::format("released_v{}.sql", v)));
  db.exec(fmt::format("PRAGMA user_version = {};", version));
  return path;
}

} // namespace

TEST_CASE("a fresh recording has exactly the released schema",
          "[recording][schema]") {
  scratch_dir dir;
  auto fresh = dir.file("fresh.sqlite");
  {
    std::string error;
    auto rec = recording::open(fresh, error);
    INFO(error);
    REQUIRE(rec);
  }
  auto want = schema_of(released_file(dir, recording_schema_version));
  auto have = schema_of(fresh);
  CHECK(have == want);
  CHECK(have.size() > 100); // tables, columns and indexes, not nothing
}

TEST_CASE("a released version-1 file migrates to the released current version",
          "[recording][schema]") {
  scratch_dir dir;
  auto path = released_file(dir, 1);
  {
    raw_db db{path};
    db.exec("INSERT INTO runs (scenario, file, scenario_text, seed, verdict,"
            " started_at) VALUES ('old', 'old.toml', '', 1, 'pass', 'then')");
  }
  {
    std::string error;
    auto rec = recording::open(path, error);
    INFO(error);
    REQUIRE(rec);
  }
  auto want = schema_of(released_file(dir, recording_schema_version));
  CHECK(schema_of(path) == want);
  raw_db db{path};
  CHECK(db.text("SELECT scenario FROM runs") == "old");
}

TEST_CASE("a released version-2 recording is reported as it is, then "
          "migrated to the current version with its runs",
          "[recording][schema]") {
  scratch_dir dir;
  auto path = released_file(dir, 2);
  {
    raw_db db{path};
    db.exec(R"sql(
INSERT INTO runs (scenario, file, scenario_text, seed, verdict, digest,
                  virtual_end_ns, wall_ms, started_at)
  VALUES ('old', 'old.toml', 'name = "old"', 1, 'fail', 'ab', 3040000000,
          1.5, '2025-10-17T14:30:00Z');
INSERT INTO orders (run_id, order_id, idem_key, trader, symbol, side,
                    quantity, success, error, error_code, retry_count,
                    started_at_ns, finished_at_ns)
  VALUES (1, 'o1', 'k1', 'T1', 'AAPL', 'buy', 1, 0, 'no answer',
          'STATUS_UNKNOWN', 0, 0, 3040000000);
INSERT INTO attempts (run_id, order_id, attempt, sent_at_ns, outcome)
  VALUES (1, 'o1', 1, 0, 'timeout');
INSERT INTO events (run_id, seq, at_ns, channel, order_id, payload)
  VALUES (1, 1, 3040000000, 'order.execution_failed', 'o1', '{}');
)sql");
  }
  // A reader leaves the file as it is and shows what it has.
  auto report = execsim::testing::execsim_cli(dir, "report --db " + path);
  INFO(report.out);
  CHECK(report.status == 0);
  CHECK(report.out.find("  verdict      fail\n  digest       ab\n")
        != std::string::npos);
  // No timed_out_at_ns before version 3: the timeout comes from the
  // recorded scenario (submit_timeout 2s by default).
  CHECK(report.out.find("            0s  attempt 1 sent\n"
                        "            2s  attempt 1 timed out\n")
        != std::string::npos);
  {
    raw_db db{path};
    CHECK(db.integer("PRAGMA user_version") == 2);
  }
  {
    std::string error;
    auto rec = recording::open(path, error);
    INFO(error);
    REQUIRE(rec);
  }
  CHECK(schema_of(path) == schema_of(released_file(dir, recording_schema_version)));
  raw_db db{path};
  CHECK(db.integer("PRAGMA user_version") == recording_schema_version);
  // Nothing is made up for an old run: it had no error column, and
  // whether an attempt was abandoned was not recorded.
  CHECK(db.rows("SELECT scenario, error FROM runs")
        == std::vector<std::vector<std::string>>{{"old", "NULL"}});
  CHECK(db.rows("SELECT outcome, timed_out_at_ns, late_answer, abandoned"
                " FROM attempts")
        == std::vector<std::vector<std::string>>{
          {"timeout", "NULL", "NULL", "NULL"}});
  // The views of version 3 read the old rows.
  CHECK(db.rows("SELECT order_id, action FROM execution_log")
        == std::vector<std::vector<std::string>>{{"o1", "UNKNOWN"}});
}

TEST_CASE("a released version-5 recording migrates to OR-chain CHECKs that "
          "keep its rows and refuse the same values",
          "[recording][schema]") {
  scratch_dir dir;
  auto path = released_file(dir, 5);
  {
    raw_db db{path};
    db.exec(R"sql(
INSERT INTO runs (scenario, file, scenario_text, seed, verdict, started_at)
  VALUES ('v5', 'v5.toml', '', 1, 'pass', 'then');
INSERT INTO attempts (run_id, order_id, attempt, sent_at_ns, outcome,
                      late_answer)
  VALUES (1, 'o1', 1, 0, 'timeout', 'ack'), (1, 'o1', 2, 5, 'ack', NULL);
INSERT INTO duplicate_checks (run_id, order_id, after_attempt, sent_at_ns,
                              outcome)
  VALUES (1, 'o1', 1, 3, 'not_found');
)sql");
  }
  // A connection that read the version-5 schema before the migration.
  raw_db before{path};
  auto old_schema_version = before.integer("PRAGMA schema_version");
  {
    std::string error;
    auto rec = recording::open(path, error);
    INFO(error);
    REQUIRE(rec);
  }
  CHECK(schema_of(path) == schema_of(released_file(dir, 6)));
  CHECK(before.integer("PRAGMA schema_version") == old_schema_version + 1);
  CHECK(before.integer("PRAGMA user_version") == 6);
  CHECK(before.text("PRAGMA integrity_check") == "ok");
  CHECK(before.rows("SELECT attempt, outcome, late_answer FROM attempts"
                    " ORDER BY attempt")
        == std::vector<std::vector<std::string>>{{"1", "timeout", "ack"},
                                                 {"2", "ack", "NULL"}});
  CHECK(before.text("SELECT sql FROM sqlite_master WHERE name = 'attempts'")
            .find("CHECK (outcome = 'ack' OR outcome = 'timeout' OR outcome"
                  " = 'network_error' OR outcome = 'rejected')")
        != std::string::npos);
  // What the IN lists refused is still refused; NULL still passes.
  CHECK_THROWS_WITH(
    before.exec("INSERT INTO attempts (run_id, order_id, attempt, sent_at_ns,"
                " outcome) VALUES (1, 'o2', 1, 0, 'filled')"),
    Catch::Contains("CHECK constraint failed"));
  CHECK_THROWS_WITH(
    before.exec("INSERT INTO attempts (run_id, order_id, attempt, sent_at_ns,"
                " outcome, late_answer) VALUES (1, 'o2', 1, 0, 'ack', 'x')"),
    Catch::Contains("CHECK constraint failed"));
  CHECK_THROWS_WITH(
    before.exec("INSERT INTO duplicate_checks (run_id, order_id, after_attempt,"
                " sent_at_ns, outcome) VALUES (1, 'o2', 1, 0, 'lost')"),
    Catch::Contains("CHECK constraint failed"));
  CHECK_THROWS_WITH(
    before.exec("INSERT INTO reconciliations (run_id, order_id, queries,"
                " outcome, unknown_at_ns, deadline_ns)"
                " VALUES (1, 'o2', 1, 'maybe', 0, 0)"),
    Catch::Contains("CHECK constraint failed"));
  before.exec("INSERT INTO reconciliations (run_id, order_id, queries,"
              " outcome, unknown_at_ns, deadline_ns)"
              " VALUES (1, 'o3', 1, NULL, 0, 0)");
  CHECK(before.integer("SELECT count(*) FROM reconciliations") == 1);
}

TEST_CASE("a released version-1 recording is reported as it is",
          "[recording][schema]") {
  scratch_dir dir;
  auto path = released_file(dir, 1);
  {
    raw_db db{path};
    db.exec("INSERT INTO runs (scenario, file, scenario_text, seed, verdict,"
            " started_at) VALUES ('oldest', 'old.toml', '', 1, 'pass',"
            " 'then')");
  }
  // No arrivals table, no version-3 columns: read as no rows and NULLs.
  auto report = execsim::testing::execsim_cli(dir, "report --db " + path);
  INFO(report.out);
  CHECK(report.status == 0);
  CHECK(report.out.find("run 1: oldest\n") != std::string::npos);
  CHECK(report.out.find("\nno orders recorded\n") != std::string::npos);
  raw_db db{path};
  CHECK(db.integer("PRAGMA user_version") == 1);
}

TEST_CASE("the statements come from the table descriptions",
          "[recording][schema]") {
  CHECK(insert_sql(attempts_table().schema)
        == "INSERT INTO attempts (run_id, order_id, attempt, sent_at_ns,"
           " answered_at_ns, outcome, error_code, timed_out_at_ns,"
           " late_answer, abandoned)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  CHECK(select_sql(events_table().schema, events_table().order_by)
        == "SELECT seq, at_ns, channel, order_id, payload FROM events"
           " WHERE run_id = ?1 ORDER BY seq");
  CHECK(insert_sql(runs_table().schema)
        == "INSERT INTO runs (scenario, file, scenario_text, seed, verdict,"
           " started_at, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  CHECK(finish_sql(runs_table().schema, "run_id")
        == "UPDATE runs SET verdict = ?1, digest = ?2, virtual_end_ns = ?3,"
           " wall_ms = ?4, error = ?5 WHERE run_id = ?6");
  // A reader of an older file selects the columns it lacks as NULL.
  CHECK(select_sql(runs_table().schema, "run_id", 2)
        == "SELECT scenario, file, scenario_text, seed, verdict, digest,"
           " virtual_end_ns, wall_ms, started_at, kind, NULL FROM runs"
           " WHERE run_id = ?1 ORDER BY run_id");
  // Every table's description has its key first and one binding per column.
  CHECK(recording_tables().size() == 12); // runs, 9 of a run, explorations
  CHECK(recording_migrations().size()
        == static_cast<std::size_t>(recording_schema_version));
}

TEST_CASE("a column added in a later version is an ALTER TABLE for older "
          "files",
          "[recording][schema]") {
  table_schema t{"widgets",
                 1,
                 {{"run_id", "INTEGER NOT NULL", "", written_at_insert, 0},
                  {"size", "INTEGER", "in mm", written_at_insert, 0},
                  {"colour", "TEXT", "", written_at_insert, 3}},
                 "CREATE INDEX widgets_by_run ON widgets (run_id);\n"};
  CHECK(migrate_table_sql(t, 1)
        == "CREATE TABLE IF NOT EXISTS widgets (\n"
           "  run_id INTEGER NOT NULL,\n"
           "  size   INTEGER -- in mm\n"
           ");\n"
           "CREATE INDEX widgets_by_run ON widgets (run_id);\n");
  CHECK(migrate_table_sql(t, 2).empty());
  CHECK(migrate_table_sql(t, 3)
        == "ALTER TABLE widgets ADD COLUMN colour TEXT;\n");
  table_schema later{"gadgets", 4, {{"run_id", "INTEGER", "", 1, 0}}, ""};
  CHECK(migrate_table_sql(later, 3).empty());
}
