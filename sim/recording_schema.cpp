#include "sim/recording_schema.hpp"

#include "sim/recording.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <iterator>
#include <memory>

namespace execsim {

namespace {

// Version 1. Comments inside the CREATE statements stay in sqlite_master, so
// `.schema` in the sqlite3 shell explains the columns to whoever reads it.
// IF NOT EXISTS lets a version-0 file that already has some of these tables
// (an execsim prototype) be upgraded; the verification afterwards refuses it
// if what it has does not fit.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  run_id         INTEGER PRIMARY KEY,
  scenario       TEXT NOT NULL,    -- the scenario's name
  file           TEXT NOT NULL,    -- path it was loaded from
  scenario_text  TEXT NOT NULL,    -- the file's full text, for replay
  seed           INTEGER NOT NULL CHECK (seed >= 0),
  verdict        TEXT NOT NULL DEFAULT 'running'
                 CHECK (verdict IN ('pass', 'fail', 'running')),
  digest         TEXT,             -- hex of the run's trace
  virtual_end_ns INTEGER,
  wall_ms        REAL,
  started_at     TEXT NOT NULL,    -- wall clock, ISO 8601
  kind           TEXT NOT NULL DEFAULT 'run' -- run|explore|backtest|replay
);
CREATE INDEX IF NOT EXISTS runs_by_scenario ON runs (scenario, run_id);

CREATE TABLE IF NOT EXISTS orders (
  run_id            INTEGER NOT NULL
                    REFERENCES runs (run_id) ON DELETE CASCADE,
  order_id          TEXT NOT NULL,  -- the scenario's id
  idem_key          TEXT NOT NULL,
  trader            TEXT NOT NULL,
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  quantity          INTEGER NOT NULL,
  price             TEXT,           -- decimal; NULL = market order
  success           INTEGER CHECK (success IN (0, 1)), -- NULL = no result
  exchange_order_id TEXT,
  fill_price        TEXT,           -- decimal
  error             TEXT,
  error_code        TEXT,
  retry_count       INTEGER NOT NULL,
  started_at_ns     INTEGER NOT NULL,
  finished_at_ns    INTEGER         -- NULL = no result
);
CREATE UNIQUE INDEX IF NOT EXISTS orders_by_order
  ON orders (run_id, order_id);
CREATE INDEX IF NOT EXISTS orders_by_key ON orders (run_id, idem_key);

CREATE TABLE IF NOT EXISTS attempts (
  run_id         INTEGER NOT NULL
                 REFERENCES runs (run_id) ON DELETE CASCADE,
  order_id       TEXT NOT NULL,
  attempt        INTEGER NOT NULL CHECK (attempt >= 1),
  sent_at_ns     INTEGER NOT NULL,
  answered_at_ns INTEGER,           -- NULL = no answer came
  outcome        TEXT NOT NULL
                 CHECK (outcome IN ('ack', 'timeout', 'network_error',
                                    'rejected')),
  error_code     TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS attempts_by_order
  ON attempts (run_id, order_id, attempt);

CREATE TABLE IF NOT EXISTS duplicate_checks (
  run_id            INTEGER NOT NULL
                    REFERENCES runs (run_id) ON DELETE CASCADE,
  order_id          TEXT NOT NULL,
  after_attempt     INTEGER NOT NULL,
  sent_at_ns        INTEGER NOT NULL,
  answered_at_ns    INTEGER,        -- NULL = no answer came
  outcome           TEXT NOT NULL
                    CHECK (outcome IN ('found', 'not_found', 'failed',
                                       'timeout')),
  exchange_order_id TEXT            -- set when found
);
CREATE INDEX IF NOT EXISTS duplicate_checks_by_order
  ON duplicate_checks (run_id, order_id, after_attempt);

CREATE TABLE IF NOT EXISTS fills (
  run_id            INTEGER NOT NULL
                    REFERENCES runs (run_id) ON DELETE CASCADE,
  exchange_order_id TEXT NOT NULL,
  idem_key          TEXT NOT NULL,
  order_id          TEXT NOT NULL,
  quantity          INTEGER NOT NULL,
  price             TEXT NOT NULL,  -- decimal
  filled_at_ns      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS fills_by_key ON fills (run_id, idem_key);
CREATE INDEX IF NOT EXISTS fills_by_order ON fills (run_id, order_id);

CREATE TABLE IF NOT EXISTS events (
  run_id   INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,        -- publication order within the run
  at_ns    INTEGER NOT NULL,
  channel  TEXT NOT NULL,
  order_id TEXT,                    -- NULL = not about one order
  payload  TEXT NOT NULL            -- JSON
);
CREATE UNIQUE INDEX IF NOT EXISTS events_by_seq ON events (run_id, seq);
CREATE INDEX IF NOT EXISTS events_by_order ON events (run_id, order_id);

CREATE TABLE IF NOT EXISTS faults (
  run_id   INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  at_ns    INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  order_id TEXT,                    -- NULL = not tied to one order (outage)
  attempt  INTEGER,
  detail   TEXT NOT NULL            -- e.g. 'delay=3s', 'code=RATE_LIMITED'
);
CREATE INDEX IF NOT EXISTS faults_by_order ON faults (run_id, order_id);

CREATE TABLE IF NOT EXISTS violations (
  run_id    INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  invariant TEXT NOT NULL,
  order_id  TEXT,
  detail    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS violations_by_run
  ON violations (run_id, invariant);

CREATE TABLE IF NOT EXISTS trace (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  seq    INTEGER NOT NULL,
  at_ns  INTEGER NOT NULL,
  line   TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS trace_by_seq ON trace (run_id, seq);

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

// Version 2: backtests record each order's arrival quote, so slippage can
// be asked of the recording in SQL.
constexpr const char* schema_v2 = R"sql(
CREATE TABLE IF NOT EXISTS arrivals (
  run_id      INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  order_id    TEXT NOT NULL,
  symbol      TEXT NOT NULL,
  side        TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  at_ns       INTEGER NOT NULL,  -- when the order was sent (virtual time)
  arrival_mid REAL               -- (bid + ask) / 2 then; NULL = no quote yet
);
CREATE INDEX IF NOT EXISTS arrivals_by_order ON arrivals (run_id, order_id);
)sql";

constexpr schema_migration migrations[] = {
  {1, "create the schema", schema_v1},
  {2, "add the arrivals table (backtest slippage)", schema_v2},
};

// A version bump without its step (or a step out of order) fails to build.
constexpr bool migrations_in_order() {
  int expected = 1;
  for (const auto& step : migrations)
    if (step.version != expected++)
      return false;
  return true;
}
static_assert(std::size(migrations) == recording_schema_version,
              "every schema version needs its migration step");
static_assert(migrations_in_order(), "migration steps must be 1, 2, 3, ...");

struct stmt_deleter {
  void operator()(sqlite3_stmt* stmt) const noexcept {
    sqlite3_finalize(stmt);
  }
};
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_deleter>;

stmt_ptr prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  return stmt_ptr{stmt};
}

/// Runs `sql` (one or more statements without results); false and `error`
/// on failure.
bool exec(sqlite3* db, const char* sql, std::string& error) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK)
    return true;
  error = msg != nullptr ? msg : sqlite3_errmsg(db);
  sqlite3_free(msg);
  return false;
}

void rollback(sqlite3* db) noexcept {
  if (sqlite3_get_autocommit(db) == 0)
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

/// Checks that every table has its columns and every view exists. With
/// `existing_only`, only the tables already there are looked at: a file
/// about to be migrated may lack the rest.
bool verify(sqlite3* db, const std::string& path, std::string& error,
            bool existing_only = false) {
  auto columns = prepare(db, "SELECT name FROM pragma_table_info(?1)");
  auto view = prepare(db, "SELECT 1 FROM sqlite_master "
                          "WHERE type = 'view' AND name = ?1");
  if (!columns || !view) {
    error = fmt::format("{}: {}", path, sqlite3_errmsg(db));
    return false;
  }
  for (const auto& table : recording_tables()) {
    sqlite3_reset(columns.get());
    sqlite3_bind_text(columns.get(), 1, table.name, -1, SQLITE_STATIC);
    std::vector<std::string> have;
    int rc;
    while ((rc = sqlite3_step(columns.get())) == SQLITE_ROW)
      have.emplace_back(
        reinterpret_cast<const char*>(sqlite3_column_text(columns.get(), 0)));
    if (rc != SQLITE_DONE) {
      error = fmt::format("{}: {}", path, sqlite3_errmsg(db));
      return false;
    }
    if (have.empty() && existing_only)
      continue;
    if (have.empty()) {
      error = fmt::format("{}: not an execsim recording (no table {})", path,
                          table.name);
      return false;
    }
    for (const char* column : table.columns) {
      if (std::find(have.begin(), have.end(), column) == have.end()) {
        error = fmt::format(
          "{}: not an execsim recording (table {} has no column {})", path,
          table.name, column);
        return false;
      }
    }
  }
  for (const char* name : recording_views()) {
    if (existing_only)
      break;
    sqlite3_reset(view.get());
    sqlite3_bind_text(view.get(), 1, name, -1, SQLITE_STATIC);
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

} // namespace

const std::vector<schema_migration>& recording_migrations() {
  static const std::vector<schema_migration> steps(std::begin(migrations),
                                                   std::end(migrations));
  return steps;
}

const std::vector<schema_table>& recording_tables() {
  static const std::vector<schema_table> tables = {
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
    {"arrivals", {"run_id", "order_id", "symbol", "side", "at_ns", "arrival_mid"}},
  };
  return tables;
}

const std::vector<const char*>& recording_views() {
  static const std::vector<const char*> views = {
    "execution_log", "retried_orders", "recovered_orders", "duplicate_fills",
    "time_to_result"};
  return views;
}

std::optional<int> read_recording_version(sqlite3* db, const std::string& path,
                                          std::string& error) {
  // One statement, so the version and the tables come from one snapshot.
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(
    db,
    "SELECT (SELECT user_version FROM pragma_user_version),"
    "       EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table'"
    "               AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'),"
    "       EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table'"
    "               AND name = 'runs')",
    -1, &raw, nullptr);
  stmt_ptr stmt{raw};
  if (rc == SQLITE_OK)
    rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) {
    // SQLite reads the header lazily: a foreign file shows up only here.
    if ((rc & 0xff) == SQLITE_NOTADB)
      error = fmt::format("{}: not an SQLite database ({})", path,
                          sqlite3_errmsg(db));
    else
      error = fmt::format("{}: {}", path, sqlite3_errmsg(db));
    return std::nullopt;
  }
  auto version = sqlite3_column_int(stmt.get(), 0);
  bool has_tables = sqlite3_column_int(stmt.get(), 1) != 0;
  bool has_runs = sqlite3_column_int(stmt.get(), 2) != 0;
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
  if (version == 0 && has_tables && !has_runs) {
    error = fmt::format(
      "{}: not an execsim recording (it has tables but no runs table)", path);
    return std::nullopt;
  }
  return version;
}

bool migrate_recording(sqlite3* db, const std::string& path,
                       std::string& error) {
  auto version = read_recording_version(db, path, error);
  if (!version)
    return false;
  // Up to date: no write lock needed, so opening never waits for a writer.
  if (*version == recording_schema_version)
    return verify(db, path, error);
  // Another process may be migrating the same file right now: take the
  // write lock first, then look again.
  std::string msg;
  if (!exec(db, "BEGIN IMMEDIATE", msg)) {
    error = fmt::format("{}: cannot lock the recording to create its schema: "
                        "{}",
                        path, msg);
    return false;
  }
  auto fail = [&](std::string text) {
    rollback(db);
    error = std::move(text);
    return false;
  };
  version = read_recording_version(db, path, error);
  if (!version)
    return fail(std::move(error));
  // A version-0 file with a runs table: refuse it by what it lacks, before
  // the first step trips over it.
  if (*version == 0 && !verify(db, path, error, true))
    return fail(std::move(error));
  for (const auto& step : migrations) {
    if (step.version <= *version)
      continue;
    if (!exec(db, step.sql, msg))
      return fail(fmt::format("{}: migrating the recording to version {} "
                              "({}): {}",
                              path, step.version, step.summary, msg));
  }
  // PRAGMA takes no parameters; the value is our own constant.
  auto set_version = fmt::format("PRAGMA user_version = {}",
                                 recording_schema_version);
  if (!exec(db, set_version.c_str(), msg))
    return fail(fmt::format("{}: {}", path, msg));
  // Verify before committing: a foreign file is left as it was.
  if (!verify(db, path, error))
    return fail(std::move(error));
  if (!exec(db, "COMMIT", msg))
    return fail(fmt::format("{}: {}", path, msg));
  return true;
}

} // namespace execsim
