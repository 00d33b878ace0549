#include "sim/recording.hpp"

#include "sim/recording_schema.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "sim/assert.hpp"
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace execsim {

namespace {

/// How long a writer waits for another process's run to commit before
/// giving up (runs of other processes hold the write lock while they run).
constexpr int busy_timeout_ms = 60'000;

struct stmt_deleter {
  void operator()(sqlite3_stmt* stmt) const noexcept {
    sqlite3_finalize(stmt);
  }
};
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_deleter>;

/// Leaves a cached statement ready for its next use, whatever happened.
class reset_guard {
public:
  explicit reset_guard(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {
  }
  ~reset_guard() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  reset_guard(const reset_guard&) = delete;
  reset_guard& operator=(const reset_guard&) = delete;

private:
  sqlite3_stmt* stmt_;
};

// -- binding ------------------------------------------------------------------
// One overload per value type of the records; SQLITE_STATIC is safe because
// every bound value outlives the statement's step (reset_guard).

int bind(sqlite3_stmt* stmt, int i, std::int64_t x) noexcept {
  return sqlite3_bind_int64(stmt, i, x);
}

int bind(sqlite3_stmt* stmt, int i, int x) noexcept {
  return sqlite3_bind_int64(stmt, i, x);
}

int bind(sqlite3_stmt* stmt, int i, bool x) noexcept {
  return sqlite3_bind_int64(stmt, i, x ? 1 : 0);
}

int bind(sqlite3_stmt* stmt, int i, double x) noexcept {
  return sqlite3_bind_double(stmt, i, x);
}

int bind(sqlite3_stmt* stmt, int i, std::string_view x) noexcept {
  return sqlite3_bind_text64(stmt, i, x.data(), x.size(), SQLITE_STATIC,
                             SQLITE_UTF8);
}

// Without this a string literal would pick the bool overload.
int bind(sqlite3_stmt* stmt, int i, const char* x) noexcept {
  return bind(stmt, i, std::string_view{x});
}

// Seeds are converted explicitly (begin_run); never silently.
int bind(sqlite3_stmt* stmt, int i, std::uint64_t x) = delete;

template <class T>
int bind(sqlite3_stmt* stmt, int i, const std::optional<T>& x) noexcept {
  return x ? bind(stmt, i, *x) : sqlite3_bind_null(stmt, i);
}

/// Events not about one order come with an empty id; NULL says "none" the
/// same way faults and violations do.
std::optional<std::string_view> empty_as_null(const std::string& x) noexcept {
  if (x.empty())
    return std::nullopt;
  return std::string_view{x};
}

} // namespace

// -- statements ----------------------------------------------------------------

/// The connection's cached statements and the state of the open run.
struct recording::statements {
  std::string path;
  /// The run whose transaction is open, if any.
  std::optional<std::int64_t> open_run;

  stmt_ptr begin;
  stmt_ptr commit;
  stmt_ptr insert_run;
  stmt_ptr finish_run;
  stmt_ptr insert_order;
  stmt_ptr insert_attempt;
  stmt_ptr insert_check;
  stmt_ptr insert_fill;
  stmt_ptr insert_event;
  stmt_ptr insert_fault;
  stmt_ptr insert_violation;
  stmt_ptr insert_trace;
  stmt_ptr insert_arrival;

  /// Inserts every row of the batch (see recording::write).
  void write(sqlite3* db, std::int64_t run_id, const row_batch& rows) {
    for (const auto& x : rows.orders)
      run(db, insert_order.get(), "inserting into orders", run_id,
          x.order_id, x.idem_key, x.trader, x.symbol, x.side, x.quantity,
          x.price, x.success, x.exchange_order_id, x.fill_price, x.error,
          x.error_code, x.retry_count, x.started_at_ns, x.finished_at_ns);
    for (const auto& x : rows.attempts)
      run(db, insert_attempt.get(), "inserting into attempts", run_id,
          x.order_id, x.attempt, x.sent_at_ns, x.answered_at_ns, x.outcome,
          x.error_code);
    for (const auto& x : rows.checks)
      run(db, insert_check.get(), "inserting into duplicate_checks",
          run_id, x.order_id, x.after_attempt, x.sent_at_ns,
          x.answered_at_ns, x.outcome, x.exchange_order_id);
    for (const auto& x : rows.fills)
      run(db, insert_fill.get(), "inserting into fills", run_id,
          x.exchange_order_id, x.idem_key, x.order_id, x.quantity, x.price,
          x.filled_at_ns);
    for (const auto& x : rows.events)
      run(db, insert_event.get(), "inserting into events", run_id, x.seq,
          x.at_ns, x.channel, empty_as_null(x.order_id), x.payload);
    for (const auto& x : rows.faults)
      run(db, insert_fault.get(), "inserting into faults", run_id,
          x.at_ns, x.kind, x.order_id, x.attempt, x.detail);
    for (const auto& x : rows.violations)
      run(db, insert_violation.get(), "inserting into violations", run_id,
          x.invariant, x.order_id, x.detail);
    for (const auto& x : rows.trace)
      run(db, insert_trace.get(), "inserting into trace", run_id, x.seq,
          x.at_ns, x.line);
    for (const auto& x : rows.arrivals)
      run(db, insert_arrival.get(), "inserting into arrivals", run_id,
          x.order_id, x.symbol, x.side, x.at_ns, x.arrival_mid);
  }

  /// Binds `xs` to `stmt` in order and steps it once; throws on any error
  /// (the caller's run is then to be aborted).
  template <class... Ts>
  void run(sqlite3* db, sqlite3_stmt* stmt, const char* what,
           const Ts&... xs) {
    reset_guard guard{stmt};
    int i = 0;
    bool bound = ((bind(stmt, ++i, xs) == SQLITE_OK) && ...);
    if (!bound || sqlite3_step(stmt) != SQLITE_DONE)
      throw std::runtime_error(
        fmt::format("{}: {}: {}", path, what, sqlite3_errmsg(db)));
  }
};

namespace {

stmt_ptr prepare(sqlite3* db, const std::string& path, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr)
      != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw std::runtime_error(
      fmt::format("{}: preparing `{}`: {}", path, sql, sqlite3_errmsg(db)));
  }
  return stmt_ptr{stmt};
}

/// Runs a statement without results during open(); false and `error` on
/// failure.
bool exec(sqlite3* db, const std::string& path, const char* sql,
          std::string& error) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK)
    return true;
  error = fmt::format("{}: {}: {}", path, sql,
                      msg != nullptr ? msg : sqlite3_errmsg(db));
  sqlite3_free(msg);
  return false;
}

/// Switches to WAL, so readers (people, CI, [[check]] of other processes)
/// never wait for a run and writers only wait for each other.
bool enable_wal(sqlite3* db, const std::string& path, std::string& error) {
  stmt_ptr stmt;
  int rc = SQLITE_OK;
  // Switching needs an exclusive lock. SQLite does not call the busy
  // handler for it (the connection already holds a shared lock, waiting
  // could deadlock), so several processes opening a new file at once get
  // SQLITE_BUSY here: retry with the same budget as the busy timeout.
  // Counting the sleeps keeps the wall clock out of it.
  constexpr int pause_ms = 5;
  for (int waited = 0;; waited += pause_ms) {
    sqlite3_stmt* raw = nullptr;
    rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &raw,
                            nullptr);
    stmt.reset(raw);
    if (rc == SQLITE_OK)
      rc = sqlite3_step(stmt.get());
    if ((rc & 0xff) != SQLITE_BUSY || waited >= busy_timeout_ms)
      break;
    stmt.reset();
    sqlite3_sleep(pause_ms);
  }
  if (rc != SQLITE_ROW) {
    error = fmt::format("{}: cannot switch to WAL mode: {}", path,
                        sqlite3_errmsg(db));
    return false;
  }
  std::string_view mode{
    reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0))};
  // An in-memory database (tests, dry runs) has no WAL and needs none.
  const char* file = sqlite3_db_filename(db, "main");
  bool in_memory = file == nullptr || *file == '\0';
  if (mode != "wal" && !in_memory) {
    // E.g. a network file system without shared memory: several processes
    // writing there could not be trusted.
    error = fmt::format("{}: cannot switch to WAL mode (journal_mode stays "
                        "{})",
                        path, mode);
    return false;
  }
  return true;
}

} // namespace

// -- recording -----------------------------------------------------------------

recording::recording(sqlite3* db) : db_(db) {
}

recording::~recording() {
  abort_run();
  stmts_.reset(); // sqlite3_close_v2 would linger while statements live
  sqlite3_close_v2(db_);
}

std::unique_ptr<recording> recording::open(const std::string& path,
                                           std::string& error) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                           nullptr);
  // Owns the handle until the recording does.
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> guard{db, sqlite3_close_v2};
  if (rc != SQLITE_OK) {
    error = fmt::format("{}: cannot open: {}", path,
                        db != nullptr ? sqlite3_errmsg(db)
                                      : sqlite3_errstr(rc));
    return nullptr;
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // Look before changing anything: a newer or foreign file stays untouched
  // (not even switched to WAL).
  if (!read_recording_version(db, path, error))
    return nullptr;
  if (!enable_wal(db, path, error))
    return nullptr;
  // NORMAL in WAL mode: a killed process loses nothing committed; only a
  // power cut may lose the last commits (never corrupts).
  if (!exec(db, path, "PRAGMA synchronous = NORMAL", error)
      || !exec(db, path, "PRAGMA foreign_keys = ON", error))
    return nullptr;
  if (!migrate_recording(db, path, error))
    return nullptr;
  auto stmts = std::make_unique<statements>();
  stmts->path = path;
  try {
    stmts->begin = prepare(db, path, "BEGIN IMMEDIATE");
    stmts->commit = prepare(db, path, "COMMIT");
    stmts->insert_run = prepare(
      db, path,
      "INSERT INTO runs (scenario, file, scenario_text, seed, verdict,"
      " started_at, kind) VALUES (?, ?, ?, ?, 'running', ?, ?)");
    stmts->finish_run = prepare(
      db, path,
      "UPDATE runs SET verdict = ?, digest = ?, virtual_end_ns = ?,"
      " wall_ms = ? WHERE run_id = ?");
    stmts->insert_order = prepare(
      db, path,
      "INSERT INTO orders (run_id, order_id, idem_key, trader, symbol, side,"
      " quantity, price, success, exchange_order_id, fill_price, error,"
      " error_code, retry_count, started_at_ns, finished_at_ns)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    stmts->insert_attempt = prepare(
      db, path,
      "INSERT INTO attempts (run_id, order_id, attempt, sent_at_ns,"
      " answered_at_ns, outcome, error_code) VALUES (?, ?, ?, ?, ?, ?, ?)");
    stmts->insert_check = prepare(
      db, path,
      "INSERT INTO duplicate_checks (run_id, order_id, after_attempt,"
      " sent_at_ns, answered_at_ns, outcome, exchange_order_id)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)");
    stmts->insert_fill = prepare(
      db, path,
      "INSERT INTO fills (run_id, exchange_order_id, idem_key, order_id,"
      " quantity, price, filled_at_ns) VALUES (?, ?, ?, ?, ?, ?, ?)");
    stmts->insert_event = prepare(
      db, path,
      "INSERT INTO events (run_id, seq, at_ns, channel, order_id, payload)"
      " VALUES (?, ?, ?, ?, ?, ?)");
    stmts->insert_fault = prepare(
      db, path,
      "INSERT INTO faults (run_id, at_ns, kind, order_id, attempt, detail)"
      " VALUES (?, ?, ?, ?, ?, ?)");
    stmts->insert_violation = prepare(
      db, path,
      "INSERT INTO violations (run_id, invariant, order_id, detail)"
      " VALUES (?, ?, ?, ?)");
    stmts->insert_trace = prepare(
      db, path,
      "INSERT INTO trace (run_id, seq, at_ns, line) VALUES (?, ?, ?, ?)");
    stmts->insert_arrival = prepare(
      db, path,
      "INSERT INTO arrivals (run_id, order_id, symbol, side, at_ns,"
      " arrival_mid) VALUES (?, ?, ?, ?, ?, ?)");
  } catch (const std::runtime_error& ex) {
    error = ex.what();
    return nullptr;
  }
  std::unique_ptr<recording> result{new recording(guard.release())};
  result->stmts_ = std::move(stmts);
  return result;
}

std::int64_t recording::begin_run(const run_header& header) {
  auto& s = *stmts_;
  if (s.open_run)
    throw std::runtime_error(fmt::format(
      "{}: cannot begin a run while run {} is open", s.path, *s.open_run));
  // Stored as a plain INTEGER so people can read and query it; a larger
  // seed would come out negative. Callers reject those; NDEBUG builds
  // still refuse instead of recording a wrong seed.
  constexpr auto seed_max = static_cast<std::uint64_t>(
    std::numeric_limits<std::int64_t>::max());
  EXECSIM_ASSERT(header.seed <= seed_max);
  if (header.seed > seed_max)
    throw std::runtime_error(fmt::format(
      "{}: seed {} is above {} and cannot be recorded", s.path, header.seed,
      seed_max));
  {
    reset_guard guard{s.begin.get()};
    // IMMEDIATE waits for the write lock up front. A deferred BEGIN would
    // take it at the first insert, and if another process committed in
    // between, that upgrade fails at once with SQLITE_BUSY (waiting cannot
    // help a stale snapshot).
    if (auto rc = sqlite3_step(s.begin.get()); rc != SQLITE_DONE) {
      if ((rc & 0xff) == SQLITE_BUSY)
        throw std::runtime_error(fmt::format(
          "{}: cannot start a run of {}: the recording stayed locked by "
          "another writer for longer than {} s ({})",
          s.path, header.scenario, busy_timeout_ms / 1000,
          sqlite3_errmsg(db_)));
      throw std::runtime_error(
        fmt::format("{}: cannot start a run of {}: {}", s.path,
                    header.scenario, sqlite3_errmsg(db_)));
    }
  }
  try {
    s.run(db_, s.insert_run.get(), "inserting into runs", header.scenario,
          header.file, header.scenario_text,
          static_cast<std::int64_t>(header.seed), header.started_at,
          header.kind);
  } catch (...) {
    abort_run();
    throw;
  }
  s.open_run = sqlite3_last_insert_rowid(db_);
  return *s.open_run;
}

void recording::write(std::int64_t run_id, const row_batch& rows) {
  auto& s = *stmts_;
  if (s.open_run != run_id)
    throw std::runtime_error(
      fmt::format("{}: cannot write rows of run {}: it is not the open run "
                  "(never begun, aborted or finished)",
                  s.path, run_id));
  // A run missing some rows must not be committed: a failed insert ends
  // the run (later calls say it is not open).
  try {
    stmts_->write(db_, run_id, rows);
  } catch (...) {
    abort_run();
    throw;
  }
}

std::optional<sql_value> recording::query_scalar(const std::string& sql,
                                                 std::int64_t run_id,
                                                 std::string& error) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  // Not the persistent cache: each [[check]] runs once.
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()),
                              &raw, &tail);
  stmt_ptr stmt{raw};
  if (rc != SQLITE_OK) {
    error = sqlite3_errmsg(db_);
    return std::nullopt;
  }
  if (!stmt) {
    error = "query is empty";
    return std::nullopt;
  }
  // Whatever follows the first statement would be silently ignored.
  // (A trailing ';', blanks or comments prepare to no statement.)
  const char* end = sql.data() + sql.size();
  while (tail != nullptr && tail < end) {
    const char* before = tail;
    sqlite3_stmt* next = nullptr;
    rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &next,
                            &tail);
    stmt_ptr next_ptr{next};
    if (rc != SQLITE_OK) {
      error = sqlite3_errmsg(db_);
      return std::nullopt;
    }
    if (next_ptr) {
      error = "query has more than one statement";
      return std::nullopt;
    }
    if (tail == before) // an embedded NUL: SQLite reads no further
      break;
  }
  if (auto n = sqlite3_column_count(stmt.get()); n != 1) {
    error = fmt::format("query returned {} columns (expected 1)", n);
    return std::nullopt;
  }
  // A check must not change the run it checks (DELETE ... RETURNING,
  // PRAGMA writes, ...).
  if (!sqlite3_stmt_readonly(stmt.get())) {
    error = "query is not read-only";
    return std::nullopt;
  }
  for (int i = 1; i <= sqlite3_bind_parameter_count(stmt.get()); ++i) {
    const char* name = sqlite3_bind_parameter_name(stmt.get(), i);
    if (name == nullptr || std::strcmp(name, ":run") != 0) {
      error = fmt::format("query has parameter {}; only :run is bound",
                          name != nullptr ? name : "?");
      return std::nullopt;
    }
  }
  if (auto i = sqlite3_bind_parameter_index(stmt.get(), ":run"); i > 0)
    sqlite3_bind_int64(stmt.get(), i, run_id);
  rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_DONE) {
    error = "query returned no row";
    return std::nullopt;
  }
  if (rc != SQLITE_ROW) {
    error = sqlite3_errmsg(db_);
    return std::nullopt;
  }
  std::optional<sql_value> result;
  switch (sqlite3_column_type(stmt.get(), 0)) {
    case SQLITE_INTEGER:
      result = sqlite3_column_int64(stmt.get(), 0);
      break;
    case SQLITE_FLOAT:
      result = sqlite3_column_double(stmt.get(), 0);
      break;
    case SQLITE_TEXT:
      result = std::string{
        reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0)),
        static_cast<std::size_t>(sqlite3_column_bytes(stmt.get(), 0))};
      break;
    case SQLITE_BLOB:
      error = "query returned a BLOB";
      break;
    default:
      error = "query returned NULL";
  }
  rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) {
    error = "query returned more than one row";
    return std::nullopt;
  }
  if (rc != SQLITE_DONE) {
    error = sqlite3_errmsg(db_);
    return std::nullopt;
  }
  return result;
}

void recording::finish_run(std::int64_t run_id, bool pass,
                           const std::string& digest, ns_t virtual_end_ns,
                           double wall_ms) {
  auto& s = *stmts_;
  if (s.open_run != run_id)
    throw std::runtime_error(fmt::format(
      "{}: cannot finish run {}: it is not the open run", s.path, run_id));
  // A run that cannot be finished is rolled back, never left half-open.
  try {
    s.run(db_, s.finish_run.get(), "updating runs", pass ? "pass" : "fail",
          digest, virtual_end_ns, wall_ms, run_id);
    if (sqlite3_changes(db_) != 1)
      throw std::runtime_error(fmt::format(
        "{}: cannot finish run {}: its runs row is gone", s.path, run_id));
    reset_guard guard{s.commit.get()};
    if (sqlite3_step(s.commit.get()) != SQLITE_DONE)
      throw std::runtime_error(
        fmt::format("{}: cannot commit run {}: {}", s.path, run_id,
                    sqlite3_errmsg(db_)));
  } catch (...) {
    abort_run();
    throw;
  }
  s.open_run.reset();
}

void recording::abort_run() noexcept {
  if (stmts_)
    stmts_->open_run.reset();
  // Also covers a transaction left open by a failed COMMIT.
  if (sqlite3_get_autocommit(db_) == 0)
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

} // namespace execsim
