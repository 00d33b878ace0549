#include "sim/recording.hpp"

#include "sim/check_query.hpp"
#include "sim/record_tables.hpp"
#include "sim/recording_schema.hpp"
#include "sim/sqlite_stmt.hpp"
#include "sim/run_staging.hpp"

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
/// giving up (runs of other processes without checks hold the write lock
/// while they run).
constexpr int busy_timeout_ms = 60'000;

using sql::reset_guard;
using sql::stmt_ptr;

} // namespace

// -- statements ----------------------------------------------------------------

/// The connection's cached statements and the state of the open run.
struct recording::statements {
  std::string path;
  /// The run whose transaction is open, if any.
  std::optional<std::int64_t> open_run;
  /// The last run that failed to be written, and SQLite's reason.
  std::optional<std::int64_t> failed_run;
  std::string failure;

  stmt_ptr begin;
  stmt_ptr commit;
  stmt_ptr insert_run;
  stmt_ptr finish_run;
  /// One INSERT per table of a batch, in for_each_batch_table order.
  std::vector<stmt_ptr> inserts;

  /// Inserts every row of the batch (see recording::write) with `into`,
  /// `inserts` or a staging's.
  void write(sqlite3* db, std::int64_t run_id, const row_batch& rows,
             const std::vector<stmt_ptr>& into) {
    std::size_t t = 0;
    for_each_batch_table([&](const auto& table, auto member) {
      auto* stmt = into[t++].get();
      for (const auto& row : rows.*member)
        run(db, stmt, table, row, run_id);
    });
  }

  /// Binds run_id and the row to `stmt`, an INSERT of `table`, and steps
  /// it once; throws on any error (the caller's run is then to be aborted).
  template <class Row>
  void run(sqlite3* db, sqlite3_stmt* stmt, const record_table<Row>& table,
           const Row& row, std::int64_t run_id) {
    reset_guard guard{stmt};
    bool bound = sql::bind(stmt, 1, run_id) == SQLITE_OK
                 && bind_row(stmt, table, row, written_at_insert, 2) != 0;
    step(db, stmt, bound, "inserting into", table.schema.name);
  }

  /// Steps `stmt` once; throws with SQLite's message on any error.
  void step(sqlite3* db, sqlite3_stmt* stmt, bool bound, const char* what,
            const char* table) const {
    if (!bound || sqlite3_step(stmt) != SQLITE_DONE)
      throw std::runtime_error(
        fmt::format("{}: {} {}: {}", path, what, table, sqlite3_errmsg(db)));
  }
};

namespace {

stmt_ptr prepare(sqlite3* db, const std::string& path, const std::string& sql) {
  std::string error;
  auto stmt = sql::prepare(db, sql, error, true);
  if (!stmt)
    throw std::runtime_error(
      fmt::format("{}: preparing `{}`: {}", path, sql, error));
  return stmt;
}

/// Runs a statement without results during open(); false and `error` on
/// failure.
bool exec(sqlite3* db, const std::string& path, const char* sql,
          std::string& error) {
  std::string msg;
  if (sql::exec(db, sql, msg))
    return true;
  error = fmt::format("{}: {}: {}", path, sql, msg);
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
  staging_.reset(); // its statements and temp objects, on db_
  stmts_.reset(); // sqlite3_close_v2 would linger while statements live
  sqlite3_close_v2(db_);
}

namespace {

using db_guard = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;

/// Opens the file read-write (creating it) with the busy timeout.
db_guard open_connection(const std::string& path, std::string& error) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                           nullptr);
  db_guard guard{db, sqlite3_close_v2};
  if (rc != SQLITE_OK) {
    error = fmt::format("{}: cannot open: {}", path,
                        db != nullptr ? sqlite3_errmsg(db)
                                      : sqlite3_errstr(rc));
    return db_guard{nullptr, sqlite3_close_v2};
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return guard;
}

/// The connection's settings, once the file is known to be ours.
bool configure(sqlite3* db, const std::string& path, std::string& error) {
  if (!enable_wal(db, path, error))
    return false;
  // NORMAL in WAL mode: a killed process loses nothing committed; only a
  // power cut may lose the last commits (never corrupts).
  return exec(db, path, "PRAGMA synchronous = NORMAL", error)
         && exec(db, path, "PRAGMA foreign_keys = ON", error);
}

} // namespace

std::unique_ptr<recording::statements>
recording::prepare_statements(sqlite3* db, const std::string& path) {
  auto s = std::make_unique<statements>();
  s->path = path;
  s->begin = prepare(db, path, "BEGIN IMMEDIATE");
  s->commit = prepare(db, path, "COMMIT");
  // Qualified: while a staged run's checks run, temp views shadow the
  // file's tables for unqualified names (sim/run_staging.hpp).
  auto in_file = [](const table_schema& table) {
    return fmt::format("main.{}", table.name);
  };
  const auto& runs = runs_table().schema;
  s->insert_run = prepare(db, path, insert_sql(runs, in_file(runs)));
  s->finish_run = prepare(db, path,
                          finish_sql(runs, "run_id", in_file(runs)));
  for_each_batch_table([&](const auto& table, auto) {
    s->inserts.push_back(
      prepare(db, path, insert_sql(table.schema, in_file(table.schema))));
  });
  return s;
}

std::unique_ptr<recording> recording::open(const std::string& path,
                                           std::string& error) {
  auto db = open_connection(path, error);
  if (!db)
    return nullptr;
  // Look before changing anything: a newer or foreign file stays untouched
  // (not even switched to WAL).
  if (!identify_recording(db.get(), path, error)
      || !configure(db.get(), path, error)
      || !migrate_recording(db.get(), path, error))
    return nullptr;
  std::unique_ptr<statements> stmts;
  try {
    stmts = prepare_statements(db.get(), path);
  } catch (const std::runtime_error& ex) {
    error = ex.what();
    return nullptr;
  }
  std::unique_ptr<recording> result{new recording(db.release())};
  result->stmts_ = std::move(stmts);
  return result;
}

void recording::begin_transaction(const std::string& what) {
  auto& s = *stmts_;
  reset_guard guard{s.begin.get()};
  // IMMEDIATE waits for the write lock up front. A deferred BEGIN would
  // take it at the first insert, and if another process committed in
  // between, that upgrade fails at once with SQLITE_BUSY (waiting cannot
  // help a stale snapshot).
  if (auto rc = sqlite3_step(s.begin.get()); rc != SQLITE_DONE) {
    if ((rc & 0xff) == SQLITE_BUSY)
      throw std::runtime_error(fmt::format(
        "{}: {}: the recording stayed locked by another writer for longer "
        "than {} s ({})",
        s.path, what, busy_timeout_ms / 1000, sqlite3_errmsg(db_)));
    throw std::runtime_error(
      fmt::format("{}: {}: {}", s.path, what, sqlite3_errmsg(db_)));
  }
}

std::int64_t recording::begin_run(const run_header& header,
                                  bool checks_follow) {
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
  s.failed_run.reset();
  if (checks_follow) {
    // Takes no lock on the file: the write lock waits for finish_run.
    try {
      begin_staged();
      insert_run_row(header);
    } catch (...) {
      abort_run();
      throw;
    }
    s.open_run = staging_->id();
    return *s.open_run;
  }
  begin_transaction(fmt::format("cannot start a run of {}", header.scenario));
  try {
    insert_run_row(header);
  } catch (...) {
    abort_run();
    throw;
  }
  s.open_run = sqlite3_last_insert_rowid(db_);
  return *s.open_run;
}

void recording::begin_staged() {
  if (!staging_)
    staging_ = std::make_unique<run_staging>(db_, stmts_->path);
  staged_ = true;
  staging_->begin();
}

void recording::insert_run_row(const run_header& header) {
  auto& s = *stmts_;
  run_row row;
  row.header = header;
  row.verdict = "running";
  // A staging's INSERT takes the id first (?1), then the same columns.
  auto* insert = staged_ ? staging_->insert_run() : s.insert_run.get();
  int first = staged_ ? 2 : 1;
  reset_guard guard{insert};
  bool bound = (!staged_ || sql::bind(insert, 1, staging_->id()) == SQLITE_OK)
               && bind_row(insert, runs_table(), row, written_at_insert, first)
                    != 0;
  s.step(db_, insert, bound, "inserting into", "runs");
}

void recording::write(std::int64_t run_id, const row_batch& rows) {
  auto& s = *stmts_;
  if (s.open_run != run_id)
    throw std::runtime_error(
      fmt::format("{}: cannot write rows of run {}: it is not the open run "
                  "(never begun, aborted or finished)",
                  s.path, run_id));
  // A run missing some rows must not be committed: a failed insert ends
  // the run (later calls say why).
  try {
    stmts_->write(db_, run_id, rows,
                  staged_ ? staging_->inserts() : stmts_->inserts);
  } catch (const std::exception& e) {
    fail_run(run_id, e.what());
    throw;
  }
}

void recording::fail_run(std::int64_t run_id, std::string why) noexcept {
  abort_run();
  stmts_->failed_run = run_id;
  stmts_->failure = std::move(why);
}

std::optional<sql_value> recording::query_scalar(const std::string& sql,
                                                 std::int64_t run_id,
                                                 std::string& error) {
  auto limit = check_limit_ ? check_limit_ : check_time_limit_from_env(error);
  if (!limit)
    return std::nullopt;
  auto& s = *stmts_;
  if (s.open_run && !staged_) {
    error = fmt::format("run {} was begun without checks to follow: a check "
                        "would hold its write lock",
                        *s.open_run);
    return std::nullopt;
  }
  // The open run's checks see it through its staging (temp views over the
  // file's tables and its staged rows), holding no write lock.
  auto bound = run_id;
  if (staged_ && s.open_run == run_id) {
    try {
      bound = staging_->show_to_checks();
    } catch (const std::exception& e) {
      error = e.what();
      return std::nullopt;
    }
  }
  check_runner runner{db_};
  return runner.run(sql, bound, *limit, error);
}

void recording::set_check_time_limit(std::chrono::milliseconds limit) {
  check_limit_ = limit;
}

std::int64_t recording::finish_run(std::int64_t run_id, bool pass,
                                   const std::string& digest,
                                   ns_t virtual_end_ns, double wall_ms,
                                   const std::string& error) {
  auto& s = *stmts_;
  if (s.open_run != run_id) {
    if (s.failed_run == run_id)
      throw std::runtime_error(s.failure);
    throw std::runtime_error(fmt::format(
      "{}: cannot finish run {}: it is not the open run", s.path, run_id));
  }
  // A run that cannot be finished is rolled back, never left half-open.
  auto committed = run_id;
  try {
    if (staged_)
      committed = commit_staged(run_id);
    run_row row;
    row.verdict = pass ? "pass" : "fail";
    row.digest = digest;
    row.virtual_end_ns = virtual_end_ns;
    row.wall_ms = wall_ms;
    if (!error.empty())
      row.error = error;
    auto* update = s.finish_run.get();
    reset_guard update_guard{update};
    int key = bind_row(update, runs_table(), row, written_at_finish, 1);
    s.step(db_, update,
           key != 0 && sql::bind(update, key, committed) == SQLITE_OK,
           "updating", "runs");
    if (sqlite3_changes(db_) != 1)
      throw std::runtime_error(fmt::format(
        "{}: cannot finish run {}: its runs row is gone", s.path, run_id));
    reset_guard guard{s.commit.get()};
    if (sqlite3_step(s.commit.get()) != SQLITE_DONE)
      throw std::runtime_error(
        fmt::format("{}: cannot commit run {}: {}", s.path, run_id,
                    sqlite3_errmsg(db_)));
  } catch (const std::exception& e) {
    fail_run(run_id, e.what());
    throw;
  }
  s.open_run.reset();
  if (staged_)
    staging_->clear();
  staged_ = false;
  return committed;
}

std::int64_t recording::commit_staged(std::int64_t run_id) {
  // The checks are done: their snapshot ends, the staged rows stay. Only
  // now does the run wait for the write lock, for as long as the copy
  // takes.
  staging_->end_checks();
  begin_transaction(fmt::format("cannot commit run {}", run_id));
  return staging_->copy_into_file();
}

std::int64_t recording::add_exploration(const exploration_row& row) {
  auto& s = *stmts_;
  if (s.open_run)
    throw std::runtime_error(fmt::format(
      "{}: cannot record an exploration while run {} is open", s.path,
      *s.open_run));
  auto insert = prepare(db_, s.path,
                        insert_sql(explorations_table().schema,
                                   "main.explorations"));
  begin_transaction("cannot record the exploration");
  try {
    s.step(db_, insert.get(),
           bind_row(insert.get(), explorations_table(), row,
                    written_at_insert, 1)
             != 0,
           "inserting into", "explorations");
    auto id = sqlite3_last_insert_rowid(db_);
    reset_guard guard{s.commit.get()};
    if (sqlite3_step(s.commit.get()) != SQLITE_DONE)
      throw std::runtime_error(fmt::format(
        "{}: cannot commit the exploration: {}", s.path, sqlite3_errmsg(db_)));
    return id;
  } catch (...) {
    sql::rollback(db_);
    throw;
  }
}

void recording::abort_run() noexcept {
  if (!stmts_)
    return;
  stmts_->open_run.reset();
  // Also covers a transaction left open by a failed COMMIT.
  sql::rollback(db_);
  if (staged_)
    staging_->clear();
  staged_ = false;
}

} // namespace execsim
