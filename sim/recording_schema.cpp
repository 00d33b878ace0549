#include "sim/recording_schema.hpp"

#include "sim/assert.hpp"
#include "sim/record_tables.hpp"
#include "sim/recording.hpp"
#include "sim/sqlite_stmt.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <string_view>

namespace execsim {

namespace {

// The views of version 1. Comments inside the CREATE statements stay in
// sqlite_master, so `.schema` in the sqlite3 shell explains them to whoever
// reads it. The tables (and their indexes) come from their descriptions
// (sim/record_tables.cpp).
constexpr const char* views_v1 = R"sql(
-- Per order, what the executor reported, in publication order.
CREATE VIEW IF NOT EXISTS execution_log (run_id, order_id, action, at_ns) AS
  SELECT run_id, order_id,
         CASE channel
           WHEN 'order.executed' THEN 'EXECUTED'
           WHEN 'order.recovered' THEN 'RECOVERED'
           ELSE 'FAILED'
         END,
         at_ns
  FROM events
  WHERE channel IN ('order.executed', 'order.recovered',
                    'order.execution_failed')
  ORDER BY run_id, seq;

-- Orders that needed more than one attempt; `summary` lists the attempts
-- as "1:timeout, 2:rejected(RATE_LIMITED), 3:ack".
CREATE VIEW IF NOT EXISTS retried_orders AS
  SELECT o.run_id, o.order_id, o.retry_count, o.success, o.error_code,
         (SELECT count(*) FROM attempts a
          WHERE a.run_id = o.run_id AND a.order_id = o.order_id) AS attempts,
         (SELECT group_concat(item, ', ')
          FROM (SELECT a.attempt || ':' || a.outcome
                       || coalesce('(' || a.error_code || ')', '') AS item
                FROM attempts a
                WHERE a.run_id = o.run_id AND a.order_id = o.order_id
                ORDER BY a.attempt)) AS summary
  FROM orders o
  WHERE o.retry_count > 0;

-- Successful orders whose result came from a duplicate check that found
-- the order at the exchange (a lost ack recovered without a resubmit).
CREATE VIEW IF NOT EXISTS recovered_orders AS
  SELECT o.run_id, o.order_id, o.exchange_order_id, o.retry_count,
         o.finished_at_ns,
         min(c.after_attempt) AS found_after_attempt,
         count(*) AS found_checks
  FROM orders o
  JOIN duplicate_checks c
    ON c.run_id = o.run_id AND c.order_id = o.order_id
  WHERE o.success = 1 AND c.outcome = 'found'
  GROUP BY o.run_id, o.order_id;

-- Idempotency keys that reached the exchange as more than one order: the
-- double execution the executor must prevent.
CREATE VIEW IF NOT EXISTS duplicate_fills AS
  SELECT run_id, idem_key,
         count(DISTINCT exchange_order_id) AS exchange_orders,
         count(*) AS fills,
         group_concat(DISTINCT exchange_order_id) AS exchange_order_ids
  FROM fills
  GROUP BY run_id, idem_key
  HAVING count(DISTINCT exchange_order_id) > 1;

-- Virtual time from an order's start to its result; NULLs for an order
-- that never got one.
CREATE VIEW IF NOT EXISTS time_to_result AS
  SELECT run_id, order_id, started_at_ns, finished_at_ns,
         finished_at_ns - started_at_ns AS duration_ns
  FROM orders;
)sql";

// Version 3. `execution_log` shows an order that ended STATUS_UNKNOWN as
// UNKNOWN, not FAILED. "Recovered" has one meaning, the contract's: the
// order succeeded after at least one failed attempt (the order.recovered
// event, execution_log's RECOVERED). `recovered_orders` now lists exactly
// those orders; the orders a duplicate check found (its meaning before
// version 3) are `found_by_check`.
constexpr const char* views_v3 = R"sql(
DROP VIEW IF EXISTS execution_log;
-- Per order, what the executor reported, in publication order: EXECUTED,
-- RECOVERED (a success after at least one failed attempt), FAILED, or
-- UNKNOWN (a failure whose error_code is STATUS_UNKNOWN: the exchange may
-- hold the order).
CREATE VIEW execution_log (run_id, order_id, action, at_ns) AS
  SELECT e.run_id, e.order_id,
         CASE
           WHEN e.channel = 'order.executed' THEN 'EXECUTED'
           WHEN e.channel = 'order.recovered' THEN 'RECOVERED'
           WHEN EXISTS (SELECT 1 FROM orders o
                        WHERE o.run_id = e.run_id AND o.order_id = e.order_id
                          AND o.error_code = 'STATUS_UNKNOWN') THEN 'UNKNOWN'
           ELSE 'FAILED'
         END,
         e.at_ns
  FROM events e
  WHERE e.channel IN ('order.executed', 'order.recovered',
                      'order.execution_failed')
  ORDER BY e.run_id, e.seq;

DROP VIEW IF EXISTS recovered_orders;
-- Orders that recovered: they succeeded after at least one failed attempt
-- (the order.recovered event; execution_log's RECOVERED), at
-- recovered_at_ns. found_after_attempt and found_checks say whether a
-- duplicate check found the order (NULL and 0 when none did).
CREATE VIEW recovered_orders AS
  SELECT o.run_id, o.order_id, o.exchange_order_id, o.retry_count,
         o.finished_at_ns,
         (SELECT min(c.after_attempt) FROM duplicate_checks c
          WHERE c.run_id = o.run_id AND c.order_id = o.order_id
            AND c.outcome = 'found') AS found_after_attempt,
         (SELECT count(*) FROM duplicate_checks c
          WHERE c.run_id = o.run_id AND c.order_id = o.order_id
            AND c.outcome = 'found') AS found_checks,
         (SELECT min(e.at_ns) FROM events e
          WHERE e.run_id = o.run_id AND e.order_id = o.order_id
            AND e.channel = 'order.recovered') AS recovered_at_ns
  FROM orders o
  WHERE EXISTS (SELECT 1 FROM events e
                WHERE e.run_id = o.run_id AND e.order_id = o.order_id
                  AND e.channel = 'order.recovered');

-- Successful orders whose result came from a duplicate check that found
-- the order at the exchange (a lost ack resolved without a resubmit).
CREATE VIEW IF NOT EXISTS found_by_check AS
  SELECT o.run_id, o.order_id, o.exchange_order_id, o.retry_count,
         o.finished_at_ns,
         min(c.after_attempt) AS found_after_attempt,
         count(*) AS found_checks
  FROM orders o
  JOIN duplicate_checks c
    ON c.run_id = o.run_id AND c.order_id = o.order_id
  WHERE o.success = 1 AND c.outcome = 'found'
  GROUP BY o.run_id, o.order_id;
)sql";

// Version 5. The reconciliations table; execution_log shows what the
// reconciler concluded after an UNKNOWN.
constexpr const char* views_v5 = R"sql(
DROP VIEW IF EXISTS execution_log;
-- Per order, in publication order: EXECUTED, RECOVERED (a success after at
-- least one failed attempt), FAILED, UNKNOWN (a failure whose error_code is
-- STATUS_UNKNOWN: the exchange may hold the order), then, where a
-- [reconciler] ran, RECONCILED (it found the order or ruled it out) or
-- UNRESOLVED (it gave up).
CREATE VIEW execution_log (run_id, order_id, action, at_ns) AS
  SELECT e.run_id, e.order_id,
         CASE
           WHEN e.channel = 'order.executed' THEN 'EXECUTED'
           WHEN e.channel = 'order.recovered' THEN 'RECOVERED'
           WHEN e.channel = 'order.reconciled' THEN
             CASE
               WHEN EXISTS (SELECT 1 FROM reconciliations r
                            WHERE r.run_id = e.run_id
                              AND r.order_id = e.order_id
                              AND r.outcome = 'gave_up') THEN 'UNRESOLVED'
               ELSE 'RECONCILED'
             END
           WHEN EXISTS (SELECT 1 FROM orders o
                        WHERE o.run_id = e.run_id AND o.order_id = e.order_id
                          AND o.error_code = 'STATUS_UNKNOWN') THEN 'UNKNOWN'
           ELSE 'FAILED'
         END,
         e.at_ns
  FROM events e
  WHERE e.channel IN ('order.executed', 'order.recovered',
                      'order.execution_failed', 'order.reconciled')
  ORDER BY e.run_id, e.seq;
)sql";

// Version 6. SQLite (3.40) codes `x IN (...)` with more than two constants
// as a temporary index, and inside a CHECK it builds that index anew for
// every row inserted: a third of the writer's time went to it. The same
// constraint as an OR chain accepts and refuses exactly the same values
// (NULL passes both), so version 6 rewrites the text of these CHECKs in
// place (SQLite's documented way to change a CHECK: writable_schema, then
// a new schema_version), copying no rows.
struct check_rewrite {
  const char* table;
  const char* in_list; // as the column's declaration has it
  const char* or_chain;
};

constexpr check_rewrite checks_v6[] = {
  {"attempts",
   "CHECK (outcome IN ('ack', 'timeout', 'network_error', 'rejected'))",
   "CHECK (outcome = 'ack' OR outcome = 'timeout' OR outcome = "
   "'network_error' OR outcome = 'rejected')"},
  {"attempts", "CHECK (late_answer IN ('ack', 'rejected', 'network_error'))",
   "CHECK (late_answer = 'ack' OR late_answer = 'rejected' OR late_answer = "
   "'network_error')"},
  {"duplicate_checks",
   "CHECK (outcome IN ('found', 'not_found', 'failed', 'timeout'))",
   "CHECK (outcome = 'found' OR outcome = 'not_found' OR outcome = 'failed' "
   "OR outcome = 'timeout')"},
  {"reconciliations", "CHECK (outcome IN ('found', 'not_found', 'gave_up'))",
   "CHECK (outcome = 'found' OR outcome = 'not_found' OR outcome = "
   "'gave_up')"},
};

/// Whether some column of `table` is declared with `text` in it: the
/// rewrite must name what execsim writes, or it would silently do nothing.
bool declared(const char* table, const char* text) {
  for (const auto& t : recording_tables())
    if (std::string_view{t.name} == table)
      for (const auto& column : t.columns)
        if (std::string_view{column.decl}.find(text) != std::string_view::npos)
          return true;
  return false;
}

/// Where `pattern` is in `sql`, a space of the pattern matching any run of
/// blanks and line breaks: the execsim that wrote schema versions 1 and 2
/// from literal SQL put these CHECKs over two lines
/// (tests/data/recording/released_v1.sql); the table descriptions put them
/// on one. Returns the match's end, or npos.
std::size_t match_at(const std::string& sql, std::size_t at,
                     std::string_view pattern) {
  for (char want : pattern) {
    if (want == ' ') {
      auto run = at;
      while (run < sql.size()
             && (sql[run] == ' ' || sql[run] == '\n' || sql[run] == '\t'))
        ++run;
      if (run == at)
        return std::string::npos;
      at = run;
    } else if (at < sql.size() && sql[at] == want) {
      ++at;
    } else {
      return std::string::npos;
    }
  }
  return at;
}

/// `sql` with the first `from` (matched as match_at does) replaced by `to`.
std::string replaced(std::string sql, std::string_view from,
                     std::string_view to) {
  auto first_word = from.substr(0, from.find(' '));
  for (auto at = sql.find(first_word); at != std::string::npos;
       at = sql.find(first_word, at + 1)) {
    if (auto end = match_at(sql, at, from); end != std::string::npos)
      return sql.replace(at, end - at, to);
  }
  return sql;
}

/// Rewrites one CHECK in its table's CREATE statement; with
/// writable_schema on. A table without it (already rewritten) is left as
/// it is.
bool rewrite_check(sqlite3* db, const check_rewrite& r, std::string& msg) {
  EXECSIM_ASSERT(declared(r.table, r.in_list));
  auto read = sql::prepare(
    db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
    msg);
  if (!read)
    return false;
  sql::bind(read.get(), 1, r.table);
  if (sqlite3_step(read.get()) != SQLITE_ROW) {
    msg = fmt::format("no table {}", r.table);
    return false;
  }
  std::string before;
  sql::read(read.get(), 0, before);
  read.reset();
  auto after = replaced(before, r.in_list, r.or_chain);
  if (after == before)
    return true;
  auto write = sql::prepare(
    db, "UPDATE sqlite_master SET sql = ?1 WHERE type = 'table' AND name = ?2",
    msg);
  if (!write)
    return false;
  sql::bind(write.get(), 1, after);
  sql::bind(write.get(), 2, r.table);
  if (sqlite3_step(write.get()) != SQLITE_DONE) {
    msg = sqlite3_errmsg(db);
    return false;
  }
  return true;
}

/// Sets schema_version to its value + 1: every connection (this one too)
/// then reads the schema again, as SQLite's documentation of
/// writable_schema requires.
bool bump_schema_version(sqlite3* db, std::string& msg) {
  auto stmt = sql::prepare(db, "PRAGMA schema_version", msg);
  if (!stmt)
    return false;
  if (sqlite3_step(stmt.get()) != SQLITE_ROW) {
    msg = sqlite3_errmsg(db);
    return false;
  }
  // PRAGMA takes no parameters; the value is SQLite's own counter.
  auto bump = fmt::format("PRAGMA schema_version = {}",
                          sqlite3_column_int64(stmt.get(), 0) + 1);
  stmt.reset();
  return sql::exec(db, bump.c_str(), msg);
}

/// Version 6's step, after its (empty) SQL.
bool rewrite_checks(sqlite3* db, std::string& msg) {
  if (!sql::exec(db, "PRAGMA writable_schema = ON", msg))
    return false;
  bool ok = true;
  for (const auto& r : checks_v6)
    ok = ok && rewrite_check(db, r, msg);
  ok = ok && bump_schema_version(db, msg);
  // Off whatever happened: the connection goes on recording.
  std::string off_msg;
  bool off = sql::exec(db, "PRAGMA writable_schema = OFF", off_msg);
  if (ok && !off)
    msg = off_msg;
  return ok && off;
}

/// A step: the tables and columns new in `version` (IF NOT EXISTS lets a
/// version-0 file that already has some of them, an execsim prototype, be
/// upgraded; the verification afterwards refuses it if what it has does
/// not fit), then `extra` (views).
schema_migration step(int version, const char* summary, const char* extra,
                      bool (*after_sql)(sqlite3*, std::string&) = nullptr) {
  std::string sql;
  for (const auto& table : recording_tables())
    if (auto part = migrate_table_sql(table, version); !part.empty())
      sql += part + "\n";
  sql += extra;
  return {version, summary, std::move(sql), after_sql};
}

const std::vector<schema_migration>& migrations() {
  static const std::vector<schema_migration> steps = [] {
    std::vector<schema_migration> all = {
      step(1, "create the schema", views_v1),
      step(2, "add the arrivals table (backtest slippage)", ""),
      step(3,
           "add runs.error and the attempts' late answers; UNKNOWN in "
           "execution_log; recovered_orders means recovered, found_by_check",
           views_v3),
      step(4,
           "add the explorations table (one row per explore process: its "
           "shard and totals, for execsim merge)",
           ""),
      step(5,
           "add the reconciliations table; RECONCILED and UNRESOLVED in "
           "execution_log",
           views_v5),
      step(6,
           "rewrite the CHECKs of attempts.outcome, attempts.late_answer, "
           "duplicate_checks.outcome and reconciliations.outcome as OR "
           "chains (the same values; SQLite inserts faster)",
           "", rewrite_checks),
    };
    // A version bump without its step, or a step out of order.
    EXECSIM_ASSERT(all.size() == recording_schema_version);
    for (std::size_t i = 0; i < all.size(); ++i)
      EXECSIM_ASSERT(all[i].version == static_cast<int>(i) + 1);
    return all;
  }();
  return steps;
}

/// The columns `table` has in the file; empty when there is no such table.
bool columns_of(sqlite3* db, const char* table, std::vector<std::string>& have,
                std::string& error) {
  auto stmt = sql::prepare(db, "SELECT name FROM pragma_table_info(?1)", error);
  if (!stmt)
    return false;
  sql::bind(stmt.get(), 1, table);
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    std::string name;
    sql::read(stmt.get(), 0, name);
    have.push_back(std::move(name));
  }
  if (rc != SQLITE_DONE) {
    error = sqlite3_errmsg(db);
    return false;
  }
  return true;
}

/// Checks that the tables of `version` have their columns. With version 0
/// (a file about to get the schema), only the tables already there are
/// looked at: it may lack the rest.
bool verify_tables(sqlite3* db, const std::string& path, int version,
                   std::string& error) {
  for (const auto& table : recording_tables()) {
    if (version > 0 && table.since > version)
      continue;
    std::vector<std::string> have;
    if (!columns_of(db, table.name, have, error)) {
      error = fmt::format("{}: {}", path, error);
      return false;
    }
    if (have.empty() && version == 0)
      continue;
    if (have.empty()) {
      error = fmt::format("{}: not an execsim recording (no table {})", path,
                          table.name);
      return false;
    }
    for (const auto& column : table.columns) {
      // A version-0 file (a prototype) gets the later columns by ALTER.
      auto since = column_since(table, column);
      if (version > 0 ? since > version : since > table.since)
        continue;
      if (std::find(have.begin(), have.end(), column.name) == have.end()) {
        error = fmt::format(
          "{}: not an execsim recording (table {} has no column {})", path,
          table.name, column.name);
        return false;
      }
    }
  }
  return true;
}

/// Checks that every view of `version` exists.
bool verify_views(sqlite3* db, const std::string& path, int version,
                  std::string& error) {
  auto view = sql::prepare(db,
                           "SELECT 1 FROM sqlite_master "
                           "WHERE type = 'view' AND name = ?1",
                           error);
  if (!view) {
    error = fmt::format("{}: {}", path, error);
    return false;
  }
  for (const auto& [name, since] : recording_views()) {
    if (since > version)
      continue;
    sql::reset_guard guard{view.get()};
    sql::bind(view.get(), 1, name);
    int rc = sqlite3_step(view.get());
    if (rc == SQLITE_ROW)
      continue;
    if (rc == SQLITE_DONE)
      error = fmt::format("{}: not an execsim recording (no view {})", path,
                          name);
    else
      error = fmt::format("{}: {}", path, sqlite3_errmsg(db));
    return false;
  }
  return true;
}

/// What a file of `version` must have: its tables with their columns and,
/// from version 1 on, the views.
bool verify(sqlite3* db, const std::string& path, int version,
            std::string& error) {
  return verify_tables(db, path, version, error)
         && (version == 0 || verify_views(db, path, version, error));
}

/// The version and what the file holds, from one snapshot.
struct file_facts {
  int version = 0;
  bool has_tables = false;
  bool has_runs = false;
};

std::optional<file_facts> read_facts(sqlite3* db, const std::string& path,
                                     std::string& error) {
  std::string msg;
  auto stmt = sql::prepare(
    db,
    "SELECT (SELECT user_version FROM pragma_user_version),"
    "       EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table'"
    "               AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'),"
    "       EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table'"
    "               AND name = 'runs')",
    msg);
  int rc = stmt ? sqlite3_step(stmt.get()) : sqlite3_errcode(db);
  if (rc != SQLITE_ROW) {
    // SQLite reads the header lazily: a foreign file shows up only here.
    if ((rc & 0xff) == SQLITE_NOTADB)
      error = fmt::format("{}: not an SQLite database ({})", path,
                          sqlite3_errmsg(db));
    else
      error = fmt::format("{}: {}", path, sqlite3_errmsg(db));
    return std::nullopt;
  }
  file_facts facts;
  facts.version = sqlite3_column_int(stmt.get(), 0);
  facts.has_tables = sqlite3_column_int(stmt.get(), 1) != 0;
  facts.has_runs = sqlite3_column_int(stmt.get(), 2) != 0;
  return facts;
}

/// Applies the steps after `version` and sets user_version; inside the
/// caller's transaction.
bool apply_steps(sqlite3* db, const std::string& path, int version,
                 std::string& error) {
  std::string msg;
  for (const auto& step : migrations()) {
    if (step.version <= version)
      continue;
    if (!sql::exec(db, step.sql.c_str(), msg)
        || (step.after_sql != nullptr && !step.after_sql(db, msg))) {
      error = fmt::format("{}: migrating the recording to version {} ({}): "
                          "{}",
                          path, step.version, step.summary, msg);
      return false;
    }
  }
  // PRAGMA takes no parameters; the value is our own constant.
  auto set_version = fmt::format("PRAGMA user_version = {}",
                                 recording_schema_version);
  if (!sql::exec(db, set_version.c_str(), msg)) {
    error = fmt::format("{}: {}", path, msg);
    return false;
  }
  return true;
}

} // namespace

const std::vector<schema_migration>& recording_migrations() {
  return migrations();
}

const std::vector<recording_view>& recording_views() {
  static const std::vector<recording_view> views = {
    {"execution_log", 1},  {"retried_orders", 1}, {"recovered_orders", 1},
    {"duplicate_fills", 1}, {"time_to_result", 1}, {"found_by_check", 3}};
  return views;
}

std::optional<int> read_recording_version(sqlite3* db, const std::string& path,
                                          std::string& error) {
  auto facts = read_facts(db, path, error);
  if (!facts)
    return std::nullopt;
  auto version = facts->version;
  if (version > recording_schema_version) {
    error = fmt::format("{}: recording schema version {} is newer than this "
                        "execsim supports ({}); upgrade execsim",
                        path, version, recording_schema_version);
    return std::nullopt;
  }
  if (version < 0) {
    error = fmt::format("{}: not an execsim recording (schema version {})",
                        path, version);
    return std::nullopt;
  }
  if (version == 0 && facts->has_tables && !facts->has_runs) {
    error = fmt::format(
      "{}: not an execsim recording (it has tables but no runs table)", path);
    return std::nullopt;
  }
  return version;
}

std::optional<int> identify_recording(sqlite3* db, const std::string& path,
                                      std::string& error) {
  auto version = read_recording_version(db, path, error);
  if (!version || !verify(db, path, *version, error))
    return std::nullopt;
  return version;
}

bool migrate_recording(sqlite3* db, const std::string& path,
                       std::string& error) {
  auto version = identify_recording(db, path, error);
  if (!version)
    return false;
  // Up to date: no write lock needed, so opening never waits for a writer.
  if (*version == recording_schema_version)
    return true;
  // Another process may be migrating the same file right now: take the
  // write lock first, then look again.
  std::string msg;
  if (!sql::exec(db, "BEGIN IMMEDIATE", msg)) {
    error = fmt::format("{}: cannot lock the recording to create its schema: "
                        "{}",
                        path, msg);
    return false;
  }
  version = identify_recording(db, path, error);
  // Verify before committing: a foreign file is left as it was.
  bool ok = version && (*version == recording_schema_version
                        || (apply_steps(db, path, *version, error)
                            && verify(db, path, recording_schema_version,
                                      error)));
  if (ok && !sql::exec(db, "COMMIT", msg)) {
    error = fmt::format("{}: {}", path, msg);
    ok = false;
  }
  if (!ok)
    sql::rollback(db);
  return ok;
}

} // namespace execsim
