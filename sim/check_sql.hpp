// Finding a broken [[check]] query when the scenario is loaded, before any
// run: its SQL is prepared against an empty recording of the current schema.
#pragma once

#include <optional>
#include <string>

namespace execsim {

/// What is wrong with `sql` as a [[check]] query, without running it:
/// SQLite's error for a syntax error or a missing table or column ("near
/// \"SELEC\": syntax error", "no such table: nope"), or the check's own
/// rules ("query is empty", "query has more than one statement", "query
/// returned 2 columns (expected 1)", "query has parameter :x; only :run is
/// bound", "query is not read-only: ... is refused in a check", a NUL in
/// the text). nullopt when the query would run; whether it gives exactly
/// one row, and its value, only a run can tell.
std::optional<std::string> check_sql_error(const std::string& sql);

} // namespace execsim
