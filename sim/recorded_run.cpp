#include "sim/recorded_run.hpp"

#include "sim/recording_schema.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>

namespace execsim::cli {

namespace {

/// A writer's run holds the write lock, never a reader out (WAL); this
/// only covers a checkpoint or a migration in progress.
constexpr int busy_timeout_ms = 10'000;

struct stmt_deleter {
  void operator()(sqlite3_stmt* stmt) const noexcept {
    sqlite3_finalize(stmt);
  }
};
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_deleter>;

std::string text(sqlite3_stmt* st, int col) {
  const auto* p = sqlite3_column_text(st, col);
  return p != nullptr ? reinterpret_cast<const char*>(p) : std::string{};
}

std::optional<std::string> opt_text(sqlite3_stmt* st, int col) {
  if (sqlite3_column_type(st, col) == SQLITE_NULL)
    return std::nullopt;
  return text(st, col);
}

std::optional<std::int64_t> opt_int(sqlite3_stmt* st, int col) {
  if (sqlite3_column_type(st, col) == SQLITE_NULL)
    return std::nullopt;
  return sqlite3_column_int64(st, col);
}

std::int64_t int_of(sqlite3_stmt* st, int col) {
  return sqlite3_column_int64(st, col);
}

std::optional<int> opt_small(sqlite3_stmt* st, int col) {
  if (auto x = opt_int(st, col))
    return static_cast<int>(*x);
  return std::nullopt;
}

/// Runs `sql` with ?1 = run_id and calls `row` for each result row.
bool each_row(sqlite3* db, const std::string& path, const char* sql,
              std::int64_t run_id,
              const std::function<void(sqlite3_stmt*)>& row,
              std::string& error) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    error = fmt::format("{}: {}", path, sqlite3_errmsg(db));
    sqlite3_finalize(raw);
    return false;
  }
  stmt_ptr st{raw};
  // Queries without ?1 ignore it (SQLITE_RANGE, harmless).
  sqlite3_bind_int64(raw, 1, run_id);
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW)
    row(raw);
  if (rc != SQLITE_DONE) {
    error = fmt::format("{}: {}", path, sqlite3_errmsg(db));
    return false;
  }
  return true;
}

} // namespace

recorded_db::recorded_db(sqlite3* db, std::string path)
  : db_(db), path_(std::move(path)) {
}

recorded_db::~recorded_db() {
  sqlite3_close(db_);
}

std::unique_ptr<recorded_db> recorded_db::open(const std::string& path,
                                               std::string& error) {
  // SQLite's own message for a missing file ("unable to open database
  // file") does not say which file, or that nothing was recorded yet.
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    error = fmt::format("{}: no such recording (nothing recorded there yet?)",
                        path);
    return nullptr;
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  if (rc != SQLITE_OK) {
    error = fmt::format("{}: {}", path,
                        raw != nullptr ? sqlite3_errmsg(raw)
                                       : sqlite3_errstr(rc));
    sqlite3_close(raw);
    return nullptr;
  }
  std::unique_ptr<recorded_db> db{new recorded_db(raw, path)};
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  auto version = read_recording_version(raw, path, error);
  if (!version)
    return nullptr;
  if (*version < 1) {
    error = fmt::format("{}: not an execsim recording (no runs recorded in "
                        "it)",
                        path);
    return nullptr;
  }
  return db;
}

std::optional<std::int64_t> recorded_db::latest_run(std::string& error) {
  std::optional<std::int64_t> id;
  if (!each_row(
        db_, path_, "SELECT max(run_id) FROM runs", 0,
        [&](sqlite3_stmt* st) { id = opt_int(st, 0); }, error))
    return std::nullopt;
  if (!id)
    error = fmt::format("{}: no runs recorded in it", path_);
  return id;
}

std::optional<recorded_run> recorded_db::run(std::int64_t run_id,
                                             std::string& error) {
  std::optional<recorded_run> r;
  auto ok = each_row(
    db_, path_,
    "SELECT scenario, file, scenario_text, seed, verdict, digest,"
    "       virtual_end_ns, wall_ms, started_at, kind"
    "  FROM runs WHERE run_id = ?1",
    run_id,
    [&](sqlite3_stmt* st) {
      r.emplace();
      r->run_id = run_id;
      r->header.scenario = text(st, 0);
      r->header.file = text(st, 1);
      r->header.scenario_text = text(st, 2);
      // Recorded seeds are never negative (CHECK in the schema).
      r->header.seed = static_cast<std::uint64_t>(int_of(st, 3));
      r->verdict = text(st, 4);
      r->digest = text(st, 5);
      r->virtual_end_ns = opt_int(st, 6).value_or(0);
      r->wall_ms = sqlite3_column_double(st, 7);
      r->header.started_at = text(st, 8);
      r->header.kind = text(st, 9);
    },
    error);
  if (!ok)
    return std::nullopt;
  if (!r) {
    std::string range;
    each_row(
      db_, path_,
      "SELECT min(run_id), max(run_id) FROM runs", 0,
      [&](sqlite3_stmt* st) {
        if (auto lo = opt_int(st, 0))
          range = fmt::format(" (it has runs {} to {})", *lo, int_of(st, 1));
      },
      error);
    error = fmt::format("{}: no run {}{}", path_, run_id,
                        range.empty() ? " (it has no runs)" : range);
  }
  return r;
}

// One query per table, each its own read: a recorded run is written in
// one transaction and never changed afterwards, so they all see the same.
bool recorded_db::rows(std::int64_t run_id, row_batch& out,
                       std::string& error) {
  return each_row(
           db_, path_,
           "SELECT order_id, idem_key, trader, symbol, side, quantity, price,"
           "       success, exchange_order_id, fill_price, error, error_code,"
           "       retry_count, started_at_ns, finished_at_ns"
           "  FROM orders WHERE run_id = ?1 ORDER BY rowid",
           run_id,
           [&](sqlite3_stmt* st) {
             order_row o;
             o.order_id = text(st, 0);
             o.idem_key = text(st, 1);
             o.trader = text(st, 2);
             o.symbol = text(st, 3);
             o.side = text(st, 4);
             o.quantity = int_of(st, 5);
             o.price = opt_text(st, 6);
             if (auto s = opt_int(st, 7))
               o.success = *s != 0;
             o.exchange_order_id = opt_text(st, 8);
             o.fill_price = opt_text(st, 9);
             o.error = opt_text(st, 10);
             o.error_code = opt_text(st, 11);
             o.retry_count = static_cast<int>(int_of(st, 12));
             o.started_at_ns = int_of(st, 13);
             o.finished_at_ns = opt_int(st, 14);
             out.orders.push_back(std::move(o));
           },
           error)
         && each_row(
           db_, path_,
           "SELECT order_id, attempt, sent_at_ns, answered_at_ns, outcome,"
           "       error_code"
           "  FROM attempts WHERE run_id = ?1 ORDER BY rowid",
           run_id,
           [&](sqlite3_stmt* st) {
             attempt_row a;
             a.order_id = text(st, 0);
             a.attempt = static_cast<int>(int_of(st, 1));
             a.sent_at_ns = int_of(st, 2);
             a.answered_at_ns = opt_int(st, 3);
             a.outcome = text(st, 4);
             a.error_code = opt_text(st, 5);
             out.attempts.push_back(std::move(a));
           },
           error)
         && each_row(
           db_, path_,
           "SELECT order_id, after_attempt, sent_at_ns, answered_at_ns,"
           "       outcome, exchange_order_id"
           "  FROM duplicate_checks WHERE run_id = ?1 ORDER BY rowid",
           run_id,
           [&](sqlite3_stmt* st) {
             check_row c;
             c.order_id = text(st, 0);
             c.after_attempt = static_cast<int>(int_of(st, 1));
             c.sent_at_ns = int_of(st, 2);
             c.answered_at_ns = opt_int(st, 3);
             c.outcome = text(st, 4);
             c.exchange_order_id = opt_text(st, 5);
             out.checks.push_back(std::move(c));
           },
           error)
         && each_row(
           db_, path_,
           "SELECT exchange_order_id, idem_key, order_id, quantity, price,"
           "       filled_at_ns"
           "  FROM fills WHERE run_id = ?1 ORDER BY rowid",
           run_id,
           [&](sqlite3_stmt* st) {
             fill_row f;
             f.exchange_order_id = text(st, 0);
             f.idem_key = text(st, 1);
             f.order_id = text(st, 2);
             f.quantity = int_of(st, 3);
             f.price = text(st, 4);
             f.filled_at_ns = int_of(st, 5);
             out.fills.push_back(std::move(f));
           },
           error)
         && each_row(
           db_, path_,
           "SELECT seq, at_ns, channel, order_id, payload"
           "  FROM events WHERE run_id = ?1 ORDER BY seq",
           run_id,
           [&](sqlite3_stmt* st) {
             event_row e;
             e.seq = int_of(st, 0);
             e.at_ns = int_of(st, 1);
             e.channel = text(st, 2);
             e.order_id = text(st, 3);
             e.payload = text(st, 4);
             out.events.push_back(std::move(e));
           },
           error)
         && each_row(
           db_, path_,
           "SELECT at_ns, kind, order_id, attempt, detail"
           "  FROM faults WHERE run_id = ?1 ORDER BY rowid",
           run_id,
           [&](sqlite3_stmt* st) {
             fault_row f;
             f.at_ns = int_of(st, 0);
             f.kind = text(st, 1);
             f.order_id = opt_text(st, 2);
             f.attempt = opt_small(st, 3);
             f.detail = text(st, 4);
             out.faults.push_back(std::move(f));
           },
           error)
         && each_row(
           db_, path_,
           "SELECT invariant, order_id, detail"
           "  FROM violations WHERE run_id = ?1 ORDER BY rowid",
           run_id,
           [&](sqlite3_stmt* st) {
             violation_row v;
             v.invariant = text(st, 0);
             v.order_id = opt_text(st, 1);
             v.detail = text(st, 2);
             out.violations.push_back(std::move(v));
           },
           error);
}

bool recorded_db::trace(std::int64_t run_id, std::vector<trace_row>& out,
                        std::string& error) {
  return each_row(
    db_, path_,
    "SELECT seq, at_ns, line FROM trace WHERE run_id = ?1 ORDER BY seq",
    run_id,
    [&](sqlite3_stmt* st) {
      out.push_back({int_of(st, 0), int_of(st, 1), text(st, 2)});
    },
    error);
}

} // namespace execsim::cli
