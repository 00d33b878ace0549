#include "sim/recorded_run.hpp"

#include "sim/record_tables.hpp"
#include "sim/recording_schema.hpp"
#include "sim/sqlite_stmt.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <type_traits>

namespace execsim::cli {

namespace {

/// A writer's run holds the write lock, never a reader out (WAL); this
/// only covers a checkpoint or a migration in progress.
constexpr int busy_timeout_ms = 10'000;

std::optional<std::int64_t> opt_int(sqlite3_stmt* st, int col) {
  std::optional<std::int64_t> x;
  sql::read(st, col, x);
  return x;
}

/// Runs `sql` with ?1 = run_id and calls `row` for each result row.
bool each_row(sqlite3* db, const std::string& path, const std::string& sql,
              std::int64_t run_id,
              const std::function<void(sqlite3_stmt*)>& row,
              std::string& error) {
  auto st = sql::prepare(db, sql, error);
  if (!st) {
    error = fmt::format("{}: {}", path, error);
    return false;
  }
  auto* raw = st.get();
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

/// Appends the run's rows of `table` to `out`, in the table's order, from
/// a file of schema `version` (a table newer than the file has no rows; a
/// column newer than it reads as NULL).
template <class Row>
bool read_table(sqlite3* db, const std::string& path,
                const record_table<Row>& table, int version,
                std::int64_t run_id, std::vector<Row>& out,
                std::string& error) {
  if (table.schema.since > version)
    return true;
  return each_row(
    db, path, select_sql(table.schema, table.order_by, version), run_id,
    [&](sqlite3_stmt* st) { out.push_back(read_row(st, table)); }, error);
}

} // namespace

recorded_db::recorded_db(sqlite3* db, std::string path)
  : db_(db), path_(std::move(path)) {
}

int recorded_db::version() const noexcept {
  return version_;
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
  auto version = identify_recording(raw, path, error);
  if (!version)
    return nullptr;
  if (*version < 1) {
    error = fmt::format("{}: not an execsim recording (no runs recorded in "
                        "it)",
                        path);
    return nullptr;
  }
  db->version_ = *version;
  return db;
}

std::optional<std::int64_t> recorded_db::latest_run(std::string& error) {
  std::optional<std::int64_t> id;
  if (!each_row(
        // A run still being checked (or whose process died then) is not
        // finished: its verdict is 'running'.
        db_, path_,
        "SELECT max(run_id) FROM runs WHERE verdict <> 'running'", 0,
        [&](sqlite3_stmt* st) { id = opt_int(st, 0); }, error))
    return std::nullopt;
  if (!id)
    error = fmt::format("{}: no runs recorded in it", path_);
  return id;
}

std::optional<recorded_run> recorded_db::run(std::int64_t run_id,
                                             std::string& error) {
  std::optional<recorded_run> r;
  const auto& runs = runs_table();
  auto ok = each_row(
    db_, path_, select_sql(runs.schema, "run_id", version_), run_id,
    [&](sqlite3_stmt* st) {
      r = read_row(st, runs);
      r->run_id = run_id;
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
          range = fmt::format(" (it has runs {} to {})", *lo,
                              *opt_int(st, 1));
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
  bool ok = true;
  for_each_batch_table([&](const auto& table, auto member) {
    constexpr bool is_trace
      = std::is_same_v<decltype(member), decltype(&row_batch::trace)>;
    if (!is_trace && ok)
      ok = read_table(db_, path_, table, version_, run_id, out.*member,
                      error);
  });
  return ok;
}

bool recorded_db::trace(std::int64_t run_id, std::vector<trace_row>& out,
                        std::string& error) {
  return read_table(db_, path_, trace_table(), version_, run_id, out, error);
}

bool recorded_db::run_ids(std::vector<std::int64_t>& out,
                          std::string& error) {
  return each_row(
    db_, path_,
    "SELECT run_id FROM runs WHERE verdict <> 'running' AND run_id >= ?1 "
    "ORDER BY run_id",
    0, [&](sqlite3_stmt* st) { out.push_back(*opt_int(st, 0)); }, error);
}

bool recorded_db::explorations(std::vector<exploration_row>& out,
                               std::string& error) {
  const auto& table = explorations_table();
  if (version_ < table.schema.since)
    return true;
  std::string names;
  for (std::size_t i = 1; i < table.schema.columns.size(); ++i)
    names += fmt::format("{}{}", i == 1 ? "" : ", ",
                         table.schema.columns[i].name);
  return each_row(
    db_, path_,
    fmt::format("SELECT {} FROM explorations WHERE exploration_id >= ?1 "
                "ORDER BY exploration_id",
                names),
    0, [&](sqlite3_stmt* st) { out.push_back(read_row(st, table)); }, error);
}

} // namespace execsim::cli
