#include "sim/sqlite_stmt.hpp"

#include <sqlite3.h>

namespace execsim::sql {

void stmt_deleter::operator()(sqlite3_stmt* stmt) const noexcept {
  sqlite3_finalize(stmt);
}

stmt_ptr prepare(sqlite3* db, std::string_view sql, std::string& error,
                 bool persistent) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              persistent ? SQLITE_PREPARE_PERSISTENT : 0,
                              &stmt, nullptr);
  stmt_ptr result{stmt};
  if (rc != SQLITE_OK) {
    error = sqlite3_errmsg(db);
    return nullptr;
  }
  return result;
}

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

reset_guard::~reset_guard() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

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

int bind_null(sqlite3_stmt* stmt, int i) noexcept {
  return sqlite3_bind_null(stmt, i);
}

bool is_null(sqlite3_stmt* stmt, int i) noexcept {
  return sqlite3_column_type(stmt, i) == SQLITE_NULL;
}

void read(sqlite3_stmt* stmt, int i, std::int64_t& x) noexcept {
  x = sqlite3_column_int64(stmt, i);
}

void read(sqlite3_stmt* stmt, int i, int& x) noexcept {
  x = static_cast<int>(sqlite3_column_int64(stmt, i));
}

void read(sqlite3_stmt* stmt, int i, bool& x) noexcept {
  x = sqlite3_column_int64(stmt, i) != 0;
}

void read(sqlite3_stmt* stmt, int i, double& x) noexcept {
  x = sqlite3_column_double(stmt, i);
}

void read(sqlite3_stmt* stmt, int i, std::string& x) {
  const auto* p = sqlite3_column_text(stmt, i);
  if (p == nullptr) {
    x.clear();
    return;
  }
  x.assign(reinterpret_cast<const char*>(p),
           static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
}

} // namespace execsim::sql
