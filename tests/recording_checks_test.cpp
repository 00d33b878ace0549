// [[check]] queries cannot sabotage the recording: they run under an
// authorizer that lets them only read, within a time limit, and hold no
// write lock (their run is staged until they are done; more in
// tests/recording_check_lock_test.cpp).
#include "sim/check_query.hpp"
#include "sim/recording.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

run_header header() {
  run_header h;
  h.scenario = "checks";
  h.file = "checks.toml";
  h.scenario_text = "name = \"checks\"\n";
  h.seed = 7;
  h.started_at = "2026-01-01T00:00:00Z";
  return h;
}

row_batch orders(int n) {
  row_batch b;
  for (int i = 0; i < n; ++i) {
    auto& o = b.orders.emplace_back();
    o.order_id = fmt::format("o{}", i);
    o.idem_key = fmt::format("k{}", i);
    o.trader = "T1";
    o.symbol = "AAPL";
    o.side = "buy";
    o.quantity = 100;
  }
  return b;
}

std::unique_ptr<recording> open_ok(const std::string& path) {
  std::string error;
  auto rec = recording::open(path, error);
  INFO(error);
  REQUIRE(rec);
  return rec;
}

std::int64_t writer_setting(recording& rec, const char* pragma) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(rec.handle(), pragma, -1, &stmt, nullptr)
          == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  auto value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return value;
}

} // namespace

TEST_CASE("a check may only read the recording", "[recording][checks]") {
  scratch_dir dir;
  auto path = dir.file("checks.sqlite");
  auto rec = open_ok(path);
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(3));
  std::string error;
  auto refused = [&](const std::string& sql) {
    error.clear();
    auto value = rec->query_scalar(sql, id, error);
    CHECK_FALSE(value);
    return error;
  };
  auto refusal = [](const std::string& what) {
    return "query is not read-only: " + what + " is refused in a check";
  };

  CHECK(refused("PRAGMA max_page_count = 1")
        == refusal("PRAGMA max_page_count = 1"));
  CHECK(refused("PRAGMA hard_heap_limit = 100000")
        == refusal("PRAGMA hard_heap_limit = 100000"));
  CHECK(refused("PRAGMA soft_heap_limit = 100000")
        == refusal("PRAGMA soft_heap_limit = 100000"));
  CHECK(refused("PRAGMA busy_timeout = 0") == refusal("PRAGMA busy_timeout = 0"));
  CHECK(refused("PRAGMA locking_mode = EXCLUSIVE")
        == refusal("PRAGMA locking_mode = EXCLUSIVE"));
  CHECK(refused("PRAGMA wal_autocheckpoint = 0")
        == refusal("PRAGMA wal_autocheckpoint = 0"));
  CHECK(refused("PRAGMA mmap_size = 1000000")
        == refusal("PRAGMA mmap_size = 1000000"));
  CHECK(refused("PRAGMA max_page_count") == refusal("PRAGMA max_page_count"));
  CHECK(refused("PRAGMA user_version = 9") == refusal("PRAGMA user_version = 9"));
  CHECK(refused("ATTACH 'other.sqlite' AS other") == refusal("ATTACH"));
  CHECK(refused("DELETE FROM orders WHERE run_id = :run RETURNING 1")
        == refusal("DELETE from orders"));
  CHECK(refused("SELECT load_extension('x')")
        == refusal("the function load_extension"));
  CHECK(refused("BEGIN") == refusal("BEGIN (a transaction)"));
  CHECK(refused("UPDATE sqlite_master SET sql = ''")
        == "table sqlite_master may not be modified");
  CHECK_FALSE(refused("SELECT * FROM pragma_max_page_count(1)").empty());
  CHECK_FALSE(
    refused("CREATE TEMP TABLE t AS SELECT 1 AS x").empty());

  // What a check may do.
  auto value = [&](const std::string& sql) {
    error.clear();
    auto v = rec->query_scalar(sql, id, error);
    INFO(sql << ": " << error);
    REQUIRE(v);
    return *v;
  };
  CHECK(value("SELECT count(*) FROM orders WHERE run_id = :run")
        == sql_value{std::int64_t{3}});
  CHECK(value("PRAGMA user_version")
        == sql_value{std::int64_t{recording_schema_version}});
  CHECK(value("SELECT count(*) FROM pragma_table_info('orders')")
        == sql_value{std::int64_t{16}});
  CHECK(value("SELECT count(*) FROM execution_log WHERE run_id = :run")
        == sql_value{std::int64_t{0}});
  CHECK(value("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
              "FROM r WHERE i < 10) SELECT sum(i) FROM r")
        == sql_value{std::int64_t{55}});

  // Nothing of it reached the writer, the process or the next run.
  rec->finish_run(id, true, "00", 0, 0);
  CHECK(writer_setting(*rec, "PRAGMA busy_timeout") == 60'000);
  CHECK(writer_setting(*rec, "PRAGMA max_page_count") > 1000);
  CHECK(writer_setting(*rec, "PRAGMA wal_autocheckpoint") == 1000);
  CHECK(sqlite3_hard_heap_limit64(-1) == 0);
  CHECK(sqlite3_soft_heap_limit64(-1) == 0);
  auto next = rec->begin_run(header());
  rec->write(next, orders(500));
  rec->finish_run(next, true, "00", 0, 0);
  raw_db db{path};
  CHECK(db.integer("SELECT count(*) FROM orders") == 503);
  CHECK(db.text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("a check with a NUL in its text is refused", "[recording][checks]") {
  scratch_dir dir;
  auto rec = open_ok(dir.file("nul.sqlite"));
  auto id = rec->begin_run(header(), true);
  std::string error;
  std::string sql{"SELECT 1\0 + 1", 13};
  CHECK_FALSE(rec->query_scalar(sql, id, error));
  CHECK(error
        == "query contains a NUL byte at offset 8 (SQLite would ignore the "
           "text after it)");
}

TEST_CASE("a check that runs too long is stopped", "[recording][checks]") {
  scratch_dir dir;
  auto rec = open_ok(dir.file("slow.sqlite"));
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(1));
  const std::string forever =
    "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)"
    " SELECT count(*) FROM r";
  std::string error;

  SECTION("the limit set on the recording") {
    rec->set_check_time_limit(std::chrono::milliseconds{50});
    auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(rec->query_scalar(forever, id, error));
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(error
          == "query exceeded its time limit of 50 ms (set "
             "EXECSIM_CHECK_TIMEOUT_MS to allow more)");
    CHECK(took < std::chrono::seconds{1});
    // The connection is fine for the next check.
    auto count = rec->query_scalar(
      "SELECT count(*) FROM orders WHERE run_id = :run", id, error);
    REQUIRE(count);
    CHECK(*count == sql_value{std::int64_t{1}});
  }

  SECTION("the limit from EXECSIM_CHECK_TIMEOUT_MS") {
    setenv("EXECSIM_CHECK_TIMEOUT_MS", "30", 1);
    CHECK_FALSE(rec->query_scalar(forever, id, error));
    CHECK(error
          == "query exceeded its time limit of 30 ms (set "
             "EXECSIM_CHECK_TIMEOUT_MS to allow more)");
    for (const char* bad : {"abc", "0", "-5", "10ms", "86400001"}) {
      setenv("EXECSIM_CHECK_TIMEOUT_MS", bad, 1);
      error.clear();
      CHECK_FALSE(rec->query_scalar("SELECT 1", id, error));
      CHECK(error
            == fmt::format("EXECSIM_CHECK_TIMEOUT_MS=\"{}\" is not a time "
                           "limit in whole milliseconds from 1 to 86400000",
                           bad));
    }
    unsetenv("EXECSIM_CHECK_TIMEOUT_MS");
    std::string none;
    CHECK(check_time_limit_from_env(none) == default_check_time_limit);
  }
  rec->abort_run();
}

TEST_CASE("a checked run stays one transaction", "[recording][checks]") {
  scratch_dir dir;
  auto path = dir.file("lock.sqlite");
  auto rec = open_ok(path);
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(2));
  std::string error;
  auto count = rec->query_scalar(
    "SELECT count(*) FROM orders WHERE run_id = :run", id, error);
  INFO(error);
  REQUIRE(count);
  CHECK(*count == sql_value{std::int64_t{2}});

  // Nobody else sees the run before it finishes, and rows may still come.
  raw_db other{path};
  CHECK(other.integer("SELECT count(*) FROM runs") == 0);
  auto more = orders(3);
  more.orders.erase(more.orders.begin(), more.orders.begin() + 2); // o2
  rec->write(id, more);

  SECTION("finishing commits the run with its verdict") {
    rec->finish_run(id, false, "00ff", 5, 1.5);
    CHECK(other.rows(fmt::format("SELECT verdict, digest, virtual_end_ns "
                                 "FROM runs WHERE run_id = {}",
                                 id))
          == std::vector<std::vector<std::string>>{{"fail", "00ff", "5"}});
  }

  SECTION("aborting leaves no rows") {
    rec->abort_run();
    CHECK(other.integer("SELECT count(*) FROM runs") == 0);
    CHECK(other.integer("SELECT count(*) FROM orders") == 0);
  }

  SECTION("destroying the recording leaves no rows") {
    rec.reset();
    CHECK(other.integer("SELECT count(*) FROM runs") == 0);
    CHECK(other.integer("SELECT count(*) FROM orders") == 0);
  }
}

TEST_CASE("after a runaway check the write lock is free at once",
          "[recording][checks]") {
  scratch_dir dir;
  auto path = dir.file("runaway.sqlite");
  auto rec = open_ok(path);
  rec->set_check_time_limit(std::chrono::milliseconds{50});
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(1));
  std::string error;
  CHECK_FALSE(rec->query_scalar(
    "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)"
    " SELECT count(*) FROM r",
    id, error));
  rec->finish_run(id, false, "00", 0, 0);
  // The lock is free at once: another writer takes it without waiting.
  raw_db other{path};
  other.exec("PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; COMMIT");
  CHECK(other.integer("SELECT count(*) FROM runs") == 1);
}

TEST_CASE("an in-memory recording checks under the authorizer and keeps "
          "writing",
          "[recording][checks]") {
  auto rec = open_ok(":memory:");
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(2));
  std::string error;
  auto count = rec->query_scalar(
    "SELECT count(*) FROM orders WHERE run_id = :run", id, error);
  INFO(error);
  REQUIRE(count);
  CHECK(*count == sql_value{std::int64_t{2}});
  CHECK_FALSE(rec->query_scalar("PRAGMA max_page_count = 1", id, error));
  CHECK(error
        == "query is not read-only: PRAGMA max_page_count = 1 is refused in "
           "a check");
  // The authorizer was the check's only: the writer still writes.
  rec->finish_run(id, true, "00", 0, 0);
  auto next = rec->begin_run(header());
  rec->write(next, orders(3));
  rec->finish_run(next, true, "00", 0, 0);
  CHECK(writer_setting(*rec, "SELECT count(*) FROM orders") == 5);
}

TEST_CASE("four processes writing and checking one file lose no run",
          "[recording][checks][processes]") {
  scratch_dir dir;
  auto path = dir.file("shared.sqlite");
  constexpr int processes = 4;
  constexpr int runs_each = 25;
  std::vector<pid_t> children;
  for (int p = 0; p < processes; ++p) {
    auto pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int status = 0;
      try {
        std::string error;
        auto rec = recording::open(path, error);
        if (!rec)
          throw std::runtime_error(error);
        for (int i = 0; i < runs_each; ++i) {
          auto id = rec->begin_run(header(), true);
          rec->write(id, orders(5));
          auto n = rec->query_scalar(
            "SELECT count(*) FROM orders WHERE run_id = :run", id, error);
          if (!n || *n != sql_value{std::int64_t{5}})
            throw std::runtime_error("check: " + error);
          rec->finish_run(id, true, "00", 0, 0);
        }
      } catch (const std::exception& ex) {
        std::fprintf(stderr, "child %d: %s\n", p, ex.what());
        status = 1;
      }
      _exit(status);
    }
    children.push_back(pid);
  }
  for (auto pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  raw_db db{path};
  CHECK(db.integer("SELECT count(*) FROM runs WHERE verdict = 'pass'")
        == processes * runs_each);
  CHECK(db.integer("SELECT count(*) FROM orders") == 5 * processes * runs_each);
  CHECK(db.text("PRAGMA integrity_check") == "ok");
}
