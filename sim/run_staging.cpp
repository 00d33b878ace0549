#include "sim/run_staging.hpp"

#include "sim/assert.hpp"
#include "sim/record_tables.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <map>
#include <stdexcept>
#include <string_view>

namespace execsim {

namespace {

/// The staging table of the file's table `table` (in the temp schema).
std::string staged(const char* table) {
  return fmt::format("execsim_staged_{}", table);
}

/// "a, b, c": the table's columns but run_id.
std::string columns_but_run_id(const table_schema& table) {
  std::string out;
  for (const auto& c : table.columns)
    if (std::string_view{c.name} != "run_id")
      out += fmt::format("{}{}", out.empty() ? "" : ", ", c.name);
  return out;
}

/// Drops every object of `type` ("view", "table") in the connection's
/// temp schema: all of them are the staging's (the connection is the
/// recording's own, and a check may create nothing).
void drop_temp(sqlite3* db, const char* type) noexcept {
  std::vector<std::string> names;
  std::string error;
  auto list = sql::prepare(
    db, "SELECT name FROM temp.sqlite_master WHERE type = ?1 ORDER BY name",
    error);
  if (!list)
    return;
  sql::bind(list.get(), 1, type);
  while (sqlite3_step(list.get()) == SQLITE_ROW)
    sql::read(list.get(), 0, names.emplace_back());
  list.reset(); // a table being read cannot be dropped
  for (const auto& name : names) {
    auto drop = fmt::format("DROP {} IF EXISTS temp.\"{}\"", type, name);
    sqlite3_exec(db, drop.c_str(), nullptr, nullptr, nullptr);
  }
}

/// Views first: they read the tables.
void drop_staging(sqlite3* db) noexcept {
  drop_temp(db, "view");
  drop_temp(db, "table");
}

} // namespace

run_staging::run_staging(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)) {
  drop_staging(db_); // nothing should be there; never build on leftovers
  try {
    exec("BEGIN"); // one temp-only transaction: all of it or nothing
    create_tables();
    index_tables();
    create_views();
    exec("COMMIT");
    prepare_inserts();
  } catch (...) {
    insert_run_.reset();
    inserts_.clear();
    sql::rollback(db_);
    drop_staging(db_);
    throw;
  }
}

run_staging::~run_staging() {
  insert_run_.reset();
  inserts_.clear();
  sql::rollback(db_);
  drop_staging(db_);
}

void run_staging::create_tables() const {
  // Shaped like the file's tables (the same columns, in the same order,
  // with the same type affinity), without their constraints: the copy into
  // the file checks those.
  for (const auto& table : run_tables())
    exec(fmt::format("CREATE TEMP TABLE {} AS SELECT * FROM main.{} WHERE 0",
                     staged(table.name), table.name));
}

void run_staging::prepare_inserts() {
  auto runs = runs_table().schema;
  for (auto& c : runs.columns)
    if (std::string_view{c.name} == "run_id")
      c.written = written_at_insert; // the id it would get now
  std::string error;
  auto prepare = [&](const table_schema& table) {
    auto stmt = sql::prepare(
      db_, insert_sql(table, "temp." + staged(table.name)), error, true);
    if (!stmt)
      throw std::runtime_error(
        fmt::format("{}: staging runs for their checks: {}", path_, error));
    return stmt;
  };
  insert_run_ = prepare(runs);
  for_each_batch_table([&](const auto& table, auto) {
    inserts_.push_back(prepare(table.schema));
  });
}

void run_staging::begin() {
  clear(); // what a run that could not clean up left
  id_ = next_free_id();
  shown_ = false;
  // Writes only temp tables: takes no lock on the file.
  exec("BEGIN");
}

void run_staging::exec(const std::string& sql) const {
  std::string error;
  if (!sql::exec(db_, sql.c_str(), error))
    throw std::runtime_error(
      fmt::format("{}: staging runs for their checks: {}", path_, error));
}

std::int64_t run_staging::next_free_id() const {
  std::string error;
  auto stmt = sql::prepare(
    db_, "SELECT coalesce(max(run_id), 0) + 1 FROM main.runs", error);
  if (!stmt || sqlite3_step(stmt.get()) != SQLITE_ROW)
    throw std::runtime_error(fmt::format(
      "{}: staging runs for their checks: {}", path_, sqlite3_errmsg(db_)));
  return sqlite3_column_int64(stmt.get(), 0);
}

void run_staging::index_tables() const {
  // The file's indexes on the same columns, but run_id (the same in every
  // staged row): without them a view that looks rows up per order (e.g.
  // recovered_orders) scans the staged rows once per order.
  std::string error;
  auto columns = sql::prepare(
    db_,
    "SELECT il.name, ii.name FROM pragma_index_list(?1, 'main') AS il, "
    "pragma_index_info(il.name, 'main') AS ii "
    "WHERE il.origin = 'c' AND ii.name <> 'run_id' "
    "ORDER BY il.name, ii.seqno",
    error);
  if (!columns)
    throw std::runtime_error(
      fmt::format("{}: staging runs for their checks: {}", path_, error));
  for (const auto& table : run_tables()) {
    std::map<std::string, std::string> indexes; // name -> "a, b"
    sql::reset_guard guard{columns.get()};
    sql::bind(columns.get(), 1, table.name);
    while (sqlite3_step(columns.get()) == SQLITE_ROW) {
      std::string index, column;
      sql::read(columns.get(), 0, index);
      sql::read(columns.get(), 1, column);
      auto& list = indexes[index];
      list += (list.empty() ? "" : ", ") + column;
    }
    for (const auto& [index, list] : indexes)
      exec(fmt::format("CREATE INDEX temp.{} ON {} ({})", staged(index.c_str()),
                       staged(table.name), list));
  }
}

void run_staging::create_views() const {
  for (const auto& table : run_tables())
    exec(fmt::format("CREATE TEMP VIEW {0} AS SELECT * FROM main.{0} "
                     "UNION ALL SELECT * FROM temp.{1}",
                     table.name, staged(table.name)));
  // A view of the file reads the file's tables only (names in a schema
  // resolve in that schema): a temp copy of it reads the views above.
  std::string error;
  auto views = sql::prepare(db_,
                            "SELECT name, sql FROM main.sqlite_master "
                            "WHERE type = 'view' ORDER BY name",
                            error);
  if (!views)
    throw std::runtime_error(
      fmt::format("{}: staging runs for their checks: {}", path_, error));
  std::vector<std::string> copies;
  constexpr std::string_view create = "CREATE VIEW ";
  while (sqlite3_step(views.get()) == SQLITE_ROW) {
    std::string name, sql;
    sql::read(views.get(), 0, name);
    sql::read(views.get(), 1, sql);
    // SQLite keeps every CREATE VIEW as "CREATE VIEW name ...".
    EXECSIM_ASSERT(sql.compare(0, create.size(), create) == 0);
    copies.push_back("CREATE TEMP VIEW " + sql.substr(create.size()));
  }
  views.reset();
  for (const auto& sql : copies)
    exec(sql);
}

std::int64_t run_staging::show_to_checks() {
  if (shown_)
    return id_;
  // The first read of the file in the open transaction: from here on the
  // checks share this snapshot.
  auto id = next_free_id();
  if (id != id_)
    for (const auto& table : run_tables())
      exec(fmt::format("UPDATE temp.{} SET run_id = {}", staged(table.name),
                       id));
  id_ = id;
  shown_ = true;
  return id_;
}

void run_staging::end_checks() {
  exec("COMMIT");
}

std::int64_t run_staging::copy_into_file() {
  const auto& runs = runs_table().schema;
  auto copy = [&](const char* table, const std::string& sql) {
    std::string error;
    if (!sql::exec(db_, sql.c_str(), error))
      throw std::runtime_error(
        fmt::format("{}: inserting into {}: {}", path_, table, error));
  };
  // The file's runs table gives the run its id.
  auto names = columns_but_run_id(runs);
  copy(runs.name, fmt::format("INSERT INTO main.runs ({0}) SELECT {0} FROM "
                              "temp.{1}",
                              names, staged(runs.name)));
  EXECSIM_ASSERT(sqlite3_changes(db_) == 1);
  auto id = sqlite3_last_insert_rowid(db_);
  // Read back in rowid order: the order they were written in.
  for_each_batch_table([&](const auto& table, auto) {
    const auto& schema = table.schema;
    copy(schema.name,
         fmt::format("INSERT INTO main.{0} (run_id, {1}) SELECT {2}, {1} "
                     "FROM temp.{3} ORDER BY rowid",
                     schema.name, columns_but_run_id(schema), id,
                     staged(schema.name)));
  });
  return id;
}

void run_staging::clear() noexcept {
  sql::rollback(db_);
  for (const auto& table : run_tables()) {
    auto sql = fmt::format("DELETE FROM temp.{}", staged(table.name));
    sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  shown_ = false;
}

} // namespace execsim
