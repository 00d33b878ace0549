// A plain SQLite connection for tests.
#pragma once

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace execsim::testing {

/// A plain SQLite connection, so tests neither check the recording with
/// itself nor need it to read or tamper with a file.
class raw_db {
public:
  explicit raw_db(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db_));
    sqlite3_busy_timeout(db_, 60'000);
  }
  ~raw_db() {
    sqlite3_close(db_);
  }
  raw_db(const raw_db&) = delete;
  raw_db& operator=(const raw_db&) = delete;

  void exec(const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string text = msg != nullptr ? msg : "?";
      sqlite3_free(msg);
      throw std::runtime_error(text);
    }
  }

  /// Every row, every column as text ("NULL" for NULL).
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("{}: {}", sql, sqlite3_errmsg(db_)));
    std::vector<std::vector<std::string>> result;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      auto& row = result.emplace_back();
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        auto text = sqlite3_column_text(stmt, i);
        row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text)
                                         : "NULL");
      }
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
      throw std::runtime_error(fmt::format("{}: {}", sql, sqlite3_errmsg(db_)));
    return result;
  }

  std::string text(const std::string& sql) {
    auto result = rows(sql);
    if (result.size() != 1 || result[0].size() != 1)
      throw std::runtime_error(sql + ": not one value");
    return result[0][0];
  }

  std::int64_t integer(const std::string& sql) {
    return std::stoll(text(sql));
  }

  /// The first column of every row, as text ("NULL" for NULL).
  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    for (auto& row : rows(sql))
      out.push_back(row.empty() ? std::string{"NULL"} : std::move(row[0]));
    return out;
  }

  /// The one value of a one-row, one-column query.
  std::string scalar(const std::string& sql) {
    return text(sql);
  }

private:
  sqlite3* db_ = nullptr;
};

} // namespace execsim::testing
