// Running one [[check]] query (scenario-format.md) against the recording:
// exactly one statement that only reads the recording, only :run bound,
// one row of one column, within a time limit. Checks run on the writer's
// connection (recording::query_scalar; their run staged, holding no write
// lock: sim/run_staging.hpp) under an authorizer, so a check can neither
// change the recording, nor its run's staged rows, nor the settings later
// runs use.
#pragma once

#include "sim/scenario.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

struct sqlite3;

namespace execsim {

/// How long a check may run unless EXECSIM_CHECK_TIMEOUT_MS says otherwise.
constexpr std::chrono::milliseconds default_check_time_limit{10'000};

/// The time limit EXECSIM_CHECK_TIMEOUT_MS sets (whole milliseconds,
/// 1 to 86400000), or the default when it is unset. A malformed value:
/// nullopt and `error` says why.
std::optional<std::chrono::milliseconds> check_time_limit_from_env(
  std::string& error);

/// Runs checks on a connection it does not own: while it lives, the
/// connection is under an authorizer that allows reading tables and views,
/// read-only PRAGMAs (table_info, user_version, ... without a value) and
/// functions that change nothing; everything else (writes, ATTACH, PRAGMA
/// settings, transactions, load_extension) is refused at prepare time.
class check_runner {
public:
  explicit check_runner(sqlite3* db);
  ~check_runner();
  check_runner(const check_runner&) = delete;
  check_runner& operator=(const check_runner&) = delete;

  /// Runs `sql` with :run bound to `run_id`. The value of its one row's one
  /// column; otherwise nullopt and `error` says why (a check that runs
  /// longer than `limit` is interrupted: "query exceeded its time limit").
  std::optional<sql_value> run(const std::string& sql, std::int64_t run_id,
                               std::chrono::milliseconds limit,
                               std::string& error);

  /// What is wrong with `sql` as a check, found without running it (the
  /// errors of run() up to, not including, its result); nullopt if nothing.
  std::optional<std::string> problem(const std::string& sql);

  /// Why the authorizer refused the last statement ("" = it did not).
  const std::string& refusal() const noexcept {
    return refused_;
  }

  /// For the authorizer callback.
  void refuse(std::string what);

private:
  sqlite3* db_;
  std::string refused_;
};

} // namespace execsim
