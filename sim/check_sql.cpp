#include "sim/check_sql.hpp"

#include "sim/check_query.hpp"
#include "sim/recording_schema.hpp"
#include "sim/sqlite_stmt.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <memory>

namespace execsim {

std::optional<std::string> check_sql_error(const std::string& sql) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(":memory:", &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db{raw, sqlite3_close_v2};
  if (rc != SQLITE_OK)
    return fmt::format("cannot check the query: {}", sqlite3_errstr(rc));
  std::string error;
  if (!migrate_recording(db.get(), ":memory:", error))
    return fmt::format("cannot check the query: {}", error);
  check_runner runner{db.get()};
  return runner.problem(sql);
}

} // namespace execsim
