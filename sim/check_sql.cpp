#include "sim/check_sql.hpp"

#include "sim/check_query.hpp"
#include "sim/recording_schema.hpp"
#include "sim/sqlite_stmt.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <memory>

namespace execsim {

namespace {

using connection = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;

/// An empty recording in memory, made once per thread: a file with many
/// checks, or explore's shrinking loading files again and again, pays for
/// the schema once (about 5 ms), not once per query.
sqlite3* empty_recording(std::string& error) {
  thread_local connection db{nullptr, sqlite3_close_v2};
  if (db)
    return db.get();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(":memory:", &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  connection fresh{raw, sqlite3_close_v2};
  if (rc != SQLITE_OK) {
    error = sqlite3_errstr(rc);
    return nullptr;
  }
  if (!migrate_recording(fresh.get(), ":memory:", error))
    return nullptr;
  db = std::move(fresh);
  return db.get();
}

} // namespace

std::optional<std::string> check_sql_error(const std::string& sql) {
  std::string error;
  auto* db = empty_recording(error);
  if (db == nullptr)
    return fmt::format("cannot check the query: {}", error);
  check_runner runner{db};
  return runner.problem(sql);
}

} // namespace execsim
