#include "sim/check_query.hpp"

#include "sim/sqlite_stmt.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string_view>

namespace execsim {

namespace {

/// PRAGMAs a check may use with or without an argument: they only report
/// on the schema or the file.
constexpr std::string_view query_pragmas[] = {
  "table_info",       "table_xinfo",       "table_list",
  "index_list",       "index_info",        "index_xinfo",
  "foreign_key_list", "foreign_key_check", "integrity_check",
  "quick_check"};

/// PRAGMAs a check may read, but not set (no argument).
constexpr std::string_view setting_pragmas[] = {
  "user_version",   "application_id", "schema_version", "data_version",
  "page_count",     "page_size",      "freelist_count", "encoding",
  "journal_mode",   "foreign_keys",   "synchronous",    "busy_timeout",
  "compile_options", "database_list", "collation_list", "function_list",
  "module_list",    "pragma_list"};

/// Functions that would change the connection or the process.
constexpr std::string_view refused_functions[] = {"load_extension",
                                                  "fts3_tokenizer"};

template <std::size_t N>
bool listed(const std::string_view (&list)[N], const char* name) {
  return name != nullptr
         && std::find(std::begin(list), std::end(list), std::string_view{name})
              != std::end(list);
}

std::string lower(const char* text) {
  std::string out = text != nullptr ? text : "";
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// What a refused action would have done, for the message.
std::string describe(int action, const char* a1, const char* a2) {
  auto arg = [](const char* x) { return std::string{x != nullptr ? x : "?"}; };
  switch (action) {
    case SQLITE_INSERT: return "INSERT into " + arg(a1);
    case SQLITE_UPDATE: return "UPDATE of " + arg(a1);
    case SQLITE_DELETE: return "DELETE from " + arg(a1);
    case SQLITE_ATTACH: return "ATTACH";
    case SQLITE_DETACH: return "DETACH";
    case SQLITE_TRANSACTION: return arg(a1) + " (a transaction)";
    case SQLITE_SAVEPOINT: return "SAVEPOINT";
    case SQLITE_FUNCTION: return "the function " + arg(a2);
    case SQLITE_PRAGMA:
      return a2 != nullptr ? fmt::format("PRAGMA {} = {}", lower(a1), a2)
                           : "PRAGMA " + lower(a1);
    default: return fmt::format("a statement that changes the schema or the "
                                "connection (authorizer action {})",
                                action);
  }
}

bool allowed_pragma(const char* name, const char* arg) {
  auto pragma = lower(name);
  if (listed(query_pragmas, pragma.c_str()))
    return true;
  return arg == nullptr && listed(setting_pragmas, pragma.c_str());
}

int authorize(void* self, int action, const char* a1, const char* a2,
              const char*, const char*) {
  bool ok = false;
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
      ok = true;
      break;
    case SQLITE_UPDATE:
      // SQLite asks this itself when a query first uses a table-valued
      // PRAGMA (pragma_table_info(...)); a query that really tried would
      // fail anyway ("table sqlite_master may not be modified") and is not
      // read-only (sqlite3_stmt_readonly).
      ok = a1 != nullptr && std::strcmp(a1, "sqlite_master") == 0;
      break;
    case SQLITE_FUNCTION:
      ok = !listed(refused_functions, lower(a2).c_str());
      break;
    case SQLITE_PRAGMA:
      ok = allowed_pragma(a1, a2);
      break;
    default:
      break;
  }
  if (ok)
    return SQLITE_OK;
  static_cast<check_runner*>(self)->refuse(describe(action, a1, a2));
  return SQLITE_DENY;
}

using clock = std::chrono::steady_clock;

/// Interrupts the statement once its deadline has passed.
int past_deadline(void* deadline) {
  return clock::now() > *static_cast<clock::time_point*>(deadline) ? 1 : 0;
}

/// Prepares the query's one statement; whatever follows it would be
/// silently ignored, so a second statement is refused. (A trailing ';',
/// blanks or comments prepare to no statement.)
sql::stmt_ptr prepare_one(sqlite3* db, const check_runner& runner,
                          const std::string& sql, std::string& error) {
  // SQLite stops reading at a NUL: the text after it would be ignored.
  if (auto nul = sql.find('\0'); nul != std::string::npos) {
    error = fmt::format("query contains a NUL byte at offset {} (SQLite "
                        "would ignore the text after it)",
                        nul);
    return nullptr;
  }
  auto failed = [&] {
    error = runner.refusal().empty()
              ? std::string{sqlite3_errmsg(db)}
              : fmt::format("query is not read-only: {} is refused in a "
                            "check",
                            runner.refusal());
    return nullptr;
  };
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  // Not the persistent cache: each [[check]] runs once.
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()),
                              &raw, &tail);
  sql::stmt_ptr stmt{raw};
  if (rc != SQLITE_OK)
    return failed();
  if (!stmt) {
    error = "query is empty";
    return nullptr;
  }
  const char* end = sql.data() + sql.size();
  while (tail != nullptr && tail < end) {
    const char* before = tail;
    sqlite3_stmt* next = nullptr;
    rc = sqlite3_prepare_v2(db, tail, static_cast<int>(end - tail), &next,
                            &tail);
    sql::stmt_ptr next_ptr{next};
    if (rc != SQLITE_OK)
      return failed();
    if (next_ptr) {
      error = "query has more than one statement";
      return nullptr;
    }
    if (tail == before) // cannot happen without a NUL; never loop
      break;
  }
  return stmt;
}

/// One column, read-only, no parameter but :run; then binds :run.
bool check_shape(sqlite3_stmt* stmt, std::int64_t run_id, std::string& error) {
  if (auto n = sqlite3_column_count(stmt); n != 1) {
    error = fmt::format("query returned {} columns (expected 1)", n);
    return false;
  }
  // A check must not change the run it checks (DELETE ... RETURNING,
  // PRAGMA writes, ...).
  if (!sqlite3_stmt_readonly(stmt)) {
    error = "query is not read-only";
    return false;
  }
  for (int i = 1; i <= sqlite3_bind_parameter_count(stmt); ++i) {
    const char* name = sqlite3_bind_parameter_name(stmt, i);
    if (name == nullptr || std::strcmp(name, ":run") != 0) {
      error = fmt::format("query has parameter {}; only :run is bound",
                          name != nullptr ? name : "?");
      return false;
    }
  }
  if (auto i = sqlite3_bind_parameter_index(stmt, ":run"); i > 0)
    sqlite3_bind_int64(stmt, i, run_id);
  return true;
}

/// The current row's one value; nullopt and `error` for NULL or a BLOB.
std::optional<sql_value> value_of(sqlite3_stmt* stmt, std::string& error) {
  switch (sqlite3_column_type(stmt, 0)) {
    case SQLITE_INTEGER:
      return sqlite3_column_int64(stmt, 0);
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, 0);
    case SQLITE_TEXT: {
      std::string text;
      sql::read(stmt, 0, text);
      return text;
    }
    case SQLITE_BLOB:
      error = "query returned a BLOB";
      return std::nullopt;
    default:
      error = "query returned NULL";
      return std::nullopt;
  }
}

/// Steps to the one row, takes its value, and makes sure there is no other.
std::optional<sql_value> only_value(sqlite3* db, sqlite3_stmt* stmt,
                                    std::string& error) {
  auto failed = [&](int rc) {
    if (rc == SQLITE_INTERRUPT)
      error = "query exceeded its time limit";
    else
      error = sqlite3_errmsg(db);
    return std::nullopt;
  };
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) {
    error = "query returned no row";
    return std::nullopt;
  }
  if (rc != SQLITE_ROW)
    return failed(rc);
  auto result = value_of(stmt, error);
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    error = "query returned more than one row";
    return std::nullopt;
  }
  if (rc != SQLITE_DONE)
    return failed(rc);
  return result;
}

} // namespace

std::optional<std::chrono::milliseconds> check_time_limit_from_env(
  std::string& error) {
  constexpr long long most = 86'400'000; // a day
  const char* text = std::getenv("EXECSIM_CHECK_TIMEOUT_MS");
  if (text == nullptr || *text == '\0')
    return default_check_time_limit;
  long long ms = 0;
  bool ok = true;
  for (const char* p = text; *p != '\0' && ok; ++p) {
    ok = *p >= '0' && *p <= '9';
    ms = ok ? std::min(ms * 10 + (*p - '0'), most + 1) : ms;
  }
  if (!ok || ms < 1 || ms > most) {
    error = fmt::format("EXECSIM_CHECK_TIMEOUT_MS=\"{}\" is not a time limit "
                        "in whole milliseconds from 1 to {}",
                        text, most);
    return std::nullopt;
  }
  return std::chrono::milliseconds{ms};
}

check_runner::check_runner(sqlite3* db) : db_(db) {
  sqlite3_set_authorizer(db_, authorize, this);
}

check_runner::~check_runner() {
  sqlite3_set_authorizer(db_, nullptr, nullptr);
  sqlite3_progress_handler(db_, 0, nullptr, nullptr);
}

void check_runner::refuse(std::string what) {
  if (refused_.empty())
    refused_ = std::move(what);
}

std::optional<std::string> check_runner::problem(const std::string& sql) {
  refused_.clear();
  std::string error;
  auto stmt = prepare_one(db_, *this, sql, error);
  if (!stmt || !check_shape(stmt.get(), 0, error))
    return error;
  return std::nullopt;
}

std::optional<sql_value> check_runner::run(const std::string& sql,
                                           std::int64_t run_id,
                                           std::chrono::milliseconds limit,
                                           std::string& error) {
  refused_.clear();
  auto stmt = prepare_one(db_, *this, sql, error);
  if (!stmt || !check_shape(stmt.get(), run_id, error))
    return std::nullopt;
  auto deadline = clock::now() + limit;
  // Every 1000 virtual machine steps: cheap, and fine-grained enough.
  sqlite3_progress_handler(db_, 1000, past_deadline, &deadline);
  auto result = only_value(db_, stmt.get(), error);
  sqlite3_progress_handler(db_, 0, nullptr, nullptr);
  if (!result && error == "query exceeded its time limit")
    error = fmt::format("query exceeded its time limit of {} ms (set "
                        "EXECSIM_CHECK_TIMEOUT_MS to allow more)",
                        limit.count());
  return result;
}

} // namespace execsim
