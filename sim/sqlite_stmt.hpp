// SQLite statements for the recording: owning handles, preparing, running,
// and moving the records' value types in (bind) and out (read) of columns.
// The one set of SQLite helpers the writer, the reader and the checks share.
#pragma once

#include "sim/virtual_time.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace execsim::sql {

struct stmt_deleter {
  void operator()(sqlite3_stmt* stmt) const noexcept;
};
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_deleter>;

/// Prepares one statement; a null pointer and `error` (SQLite's message)
/// on failure. `persistent` for statements cached for the connection's life.
stmt_ptr prepare(sqlite3* db, std::string_view sql, std::string& error,
                 bool persistent = false);

/// Runs `sql` (statements without results); false and `error` (SQLite's
/// message) on failure.
bool exec(sqlite3* db, const char* sql, std::string& error);

/// Rolls back the connection's open transaction, if any.
void rollback(sqlite3* db) noexcept;

/// Leaves a statement ready for its next use, whatever happened.
class reset_guard {
public:
  explicit reset_guard(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {
  }
  ~reset_guard();
  reset_guard(const reset_guard&) = delete;
  reset_guard& operator=(const reset_guard&) = delete;

private:
  sqlite3_stmt* stmt_;
};

// -- binding ------------------------------------------------------------------
// One overload per value type of the records; text is bound SQLITE_STATIC,
// so the value must outlive the statement's step (reset_guard).

int bind(sqlite3_stmt* stmt, int i, std::int64_t x) noexcept;
int bind(sqlite3_stmt* stmt, int i, int x) noexcept;
int bind(sqlite3_stmt* stmt, int i, bool x) noexcept;
int bind(sqlite3_stmt* stmt, int i, double x) noexcept;
int bind(sqlite3_stmt* stmt, int i, std::string_view x) noexcept;
int bind_null(sqlite3_stmt* stmt, int i) noexcept;
// Without this a string literal would pick the bool overload.
inline int bind(sqlite3_stmt* stmt, int i, const char* x) noexcept {
  return bind(stmt, i, std::string_view{x});
}
inline int bind(sqlite3_stmt* stmt, int i, const std::string& x) noexcept {
  return bind(stmt, i, std::string_view{x});
}
// Seeds are converted explicitly; never silently.
int bind(sqlite3_stmt* stmt, int i, std::uint64_t x) = delete;

template <class T>
int bind(sqlite3_stmt* stmt, int i, const std::optional<T>& x) noexcept {
  return x ? bind(stmt, i, *x) : bind_null(stmt, i);
}

// -- reading ------------------------------------------------------------------
// The same types back; NULL reads as nullopt, or as ""/0 for plain types.

bool is_null(sqlite3_stmt* stmt, int i) noexcept;
void read(sqlite3_stmt* stmt, int i, std::int64_t& x) noexcept;
void read(sqlite3_stmt* stmt, int i, int& x) noexcept;
void read(sqlite3_stmt* stmt, int i, bool& x) noexcept;
void read(sqlite3_stmt* stmt, int i, double& x) noexcept;
void read(sqlite3_stmt* stmt, int i, std::string& x);

template <class T>
void read(sqlite3_stmt* stmt, int i, std::optional<T>& x) {
  if (is_null(stmt, i)) {
    x.reset();
    return;
  }
  T value{};
  read(stmt, i, value);
  x = std::move(value);
}

} // namespace execsim::sql
