// check_sql_error: a broken [[check]] query is found without a run.
#include "sim/check_sql.hpp"

#include <catch2/catch.hpp>

#include <string>

using execsim::check_sql_error;

TEST_CASE("check_sql_error finds broken check SQL before any run",
          "[recording][check_sql]") {
  CHECK(check_sql_error("SELECT count(*) FROM orders WHERE run_id = :run")
        == std::nullopt);
  CHECK(check_sql_error("SELECT count(*) FROM arrivals; -- v2 table")
        == std::nullopt);
  CHECK(check_sql_error("SELECT action FROM execution_log WHERE run_id = :run"
                        " AND order_id = 'o1'")
        == std::nullopt);
  CHECK(check_sql_error("SELEC nonsense") == "near \"SELEC\": syntax error");
  CHECK(check_sql_error("SELECT count(*) FROM nope") == "no such table: nope");
  CHECK(check_sql_error("SELECT colour FROM orders")
        == "no such column: colour");
  CHECK(check_sql_error("") == "query is empty");
  CHECK(check_sql_error("SELECT 1; SELECT 2")
        == "query has more than one statement");
  CHECK(check_sql_error("SELECT 1, 2")
        == "query returned 2 columns (expected 1)");
  CHECK(check_sql_error("SELECT :other")
        == "query has parameter :other; only :run is bound");
  CHECK(check_sql_error("PRAGMA max_page_count = 1")
        == "query is not read-only: PRAGMA max_page_count = 1 is refused in "
           "a check");
  CHECK(check_sql_error(std::string{"SELECT 1\0", 9})
        == "query contains a NUL byte at offset 8 (SQLite would ignore the "
           "text after it)");
}
