// A [[check]] never holds the recording's write lock (issue #21): a run
// with checks is staged in the connection's temp schema while it runs and
// while its checks run, and written to the file in one transaction after
// them. Other writers go on meanwhile; a run that does not finish still
// leaves no rows; a check sees its run's rows and the committed runs.
#include "sim/recording.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

run_header header(const char* name = "checked") {
  run_header h;
  h.scenario = name;
  h.file = "checked.toml";
  h.scenario_text = "name = \"checked\"\n";
  h.seed = 7;
  h.started_at = "2026-01-01T00:00:00Z";
  return h;
}

row_batch orders(int n, int first = 0) {
  row_batch b;
  for (int i = first; i < first + n; ++i) {
    auto& o = b.orders.emplace_back();
    o.order_id = fmt::format("o{}", i);
    o.idem_key = fmt::format("k{}", i);
    o.trader = "T1";
    o.symbol = "AAPL";
    o.side = "buy";
    o.quantity = 100;
    auto& a = b.attempts.emplace_back();
    a.order_id = o.order_id;
    a.attempt = 1;
    a.sent_at_ns = 1000 * i;
    a.outcome = "ack";
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

/// A run of `n` orders, without checks, committed.
std::int64_t commit_run(recording& rec, int n, const char* name = "other") {
  auto id = rec.begin_run(header(name));
  rec.write(id, orders(n));
  return rec.finish_run(id, true, "00", 0, 0);
}

sql_value value(recording& rec, const std::string& sql, std::int64_t id) {
  std::string error;
  auto v = rec.query_scalar(sql, id, error);
  INFO(sql << ": " << error);
  REQUIRE(v);
  return *v;
}

sql_value integer(std::int64_t x) {
  return sql_value{x};
}

const std::string forever =
  "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)"
  " SELECT count(*) FROM r";

} // namespace

TEST_CASE("another writer records a run while a check runs",
          "[recording][checks][lock]") {
  scratch_dir dir;
  auto path = dir.file("busy.sqlite");
  auto rec = open_ok(path);
  // A check that runs for 1.5 s (its time limit stops it).
  rec->set_check_time_limit(std::chrono::milliseconds{1500});
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(2));

  std::atomic<bool> check_started{false};
  std::atomic<bool> check_done{false};
  std::string check_error;
  std::thread checker([&] {
    check_started = true;
    rec->query_scalar(forever, id, check_error);
    check_done = true;
  });
  while (!check_started)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  std::this_thread::sleep_for(std::chrono::milliseconds{100});

  // Another writer that waits at most 200 ms for the lock: it records a
  // whole run while the check still runs.
  std::string other_error;
  bool written = false;
  {
    auto other = open_ok(path);
    sqlite3_busy_timeout(other->handle(), 200);
    try {
      commit_run(*other, 3);
      written = true;
    } catch (const std::exception& e) {
      other_error = e.what();
    }
  }
  bool during = !check_done;
  checker.join();
  INFO(other_error);
  CHECK(written);
  CHECK(during);
  CHECK(check_error
        == "query exceeded its time limit of 1500 ms (set "
           "EXECSIM_CHECK_TIMEOUT_MS to allow more)");

  // The checked run is committed after the other one, under the next id.
  auto committed = rec->finish_run(id, false, "00", 5, 1.0);
  CHECK(committed == 2);
  raw_db db{path};
  CHECK(db.rows("SELECT run_id, scenario, verdict FROM runs ORDER BY run_id")
        == std::vector<std::vector<std::string>>{{"1", "other", "pass"},
                                                 {"2", "checked", "fail"}});
  CHECK(db.integer("SELECT count(*) FROM orders WHERE run_id = 2") == 2);
  CHECK(db.integer("SELECT count(*) FROM attempts WHERE run_id = 2") == 2);
  CHECK(db.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a check sees its run's rows and the committed runs",
          "[recording][checks][lock]") {
  scratch_dir dir;
  auto path = dir.file("sees.sqlite");
  auto rec = open_ok(path);
  CHECK(commit_run(*rec, 3) == 1);
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(2));
  rec->write(id, orders(2, 2)); // batches add up

  CHECK(value(*rec, "SELECT :run", id) == integer(2));
  CHECK(value(*rec, "SELECT count(*) FROM attempts WHERE run_id = :run", id)
        == integer(4));
  CHECK(value(*rec, "SELECT count(*) FROM orders", id) == integer(7));
  CHECK(value(*rec, "SELECT count(*) FROM orders WHERE run_id <> :run", id)
        == integer(3));
  // The views too (they read the same tables).
  CHECK(value(*rec, "SELECT count(*) FROM time_to_result WHERE run_id = :run",
              id)
        == integer(4));
  // The run's own runs row, as it is before its verdict.
  CHECK(value(*rec,
              "SELECT verdict || ',' || coalesce(virtual_end_ns, 'NULL') || "
              "',' || coalesce(digest, 'NULL') FROM runs WHERE run_id = :run",
              id)
        == sql_value{std::string{"running,NULL,NULL"}});
  CHECK(value(*rec, "SELECT group_concat(run_id || verdict, ' ') FROM runs",
              id)
        == sql_value{std::string{"1pass 2running"}});
  // Named with its schema, a table is the file's alone.
  CHECK(value(*rec, "SELECT count(*) FROM main.orders", id) == integer(3));
  // The check's snapshot is not the file: nobody else sees the run yet.
  raw_db other{path};
  CHECK(other.integer("SELECT count(*) FROM runs") == 1);
  CHECK(other.integer("SELECT count(*) FROM orders") == 3);

  CHECK(rec->finish_run(id, true, "00ff", 9, 1.0) == 2);
  CHECK(other.rows("SELECT verdict, digest, virtual_end_ns FROM runs "
                   "WHERE run_id = 2")
        == std::vector<std::vector<std::string>>{{"pass", "00ff", "9"}});
  CHECK(other.integer("SELECT count(*) FROM attempts WHERE run_id = 2") == 4);
  // Rows keep the order they were written in.
  CHECK(other.column("SELECT order_id FROM orders WHERE run_id = 2 "
                     "ORDER BY rowid")
        == std::vector<std::string>{"o0", "o1", "o2", "o3"});
  // Between runs the staging is empty: unqualified names show the file.
  CHECK(value(*rec, "SELECT count(*) FROM orders", 0) == integer(7));
  CHECK(value(*rec,
              "SELECT (SELECT count(*) FROM execsim_staged_runs) + "
              "(SELECT count(*) FROM execsim_staged_orders) + "
              "(SELECT count(*) FROM execsim_staged_attempts)",
              0)
        == integer(0));
}

TEST_CASE("a run committed by another writer during the run takes its id "
          "from the checked run",
          "[recording][checks][lock]") {
  scratch_dir dir;
  auto path = dir.file("race.sqlite");
  auto rec = open_ok(path);
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(2));
  {
    auto other = open_ok(path);
    CHECK(commit_run(*other, 3) == 1);
  }
  // The check sees the committed run 1 and this run as 2.
  CHECK(value(*rec, "SELECT :run", id) == integer(2));
  CHECK(value(*rec, "SELECT count(*) FROM orders WHERE run_id = :run", id)
        == integer(2));
  CHECK(value(*rec, "SELECT count(*) FROM runs", id) == integer(2));
  {
    auto other = open_ok(path);
    CHECK(commit_run(*other, 1) == 2);
  }
  // Committed after that one: the next free id.
  CHECK(rec->finish_run(id, true, "00", 0, 0) == 3);
  raw_db db{path};
  CHECK(db.rows("SELECT run_id, scenario, "
                "(SELECT count(*) FROM orders o WHERE o.run_id = r.run_id) "
                "FROM runs r ORDER BY run_id")
        == std::vector<std::vector<std::string>>{{"1", "other", "3"},
                                                 {"2", "other", "1"},
                                                 {"3", "checked", "2"}});
}

TEST_CASE("a checked run that does not finish leaves no rows",
          "[recording][checks][lock]") {
  scratch_dir dir;
  auto path = dir.file("abort.sqlite");
  auto rec = open_ok(path);
  commit_run(*rec, 1);
  raw_db db{path};
  auto nothing_new = [&] {
    CHECK(db.integer("SELECT count(*) FROM runs") == 1);
    CHECK(db.integer("SELECT count(*) FROM orders") == 1);
    CHECK(db.integer("SELECT count(*) FROM attempts") == 1);
  };

  SECTION("aborted before its checks") {
    auto id = rec->begin_run(header(), true);
    rec->write(id, orders(2));
    rec->abort_run();
    nothing_new();
  }
  SECTION("aborted after a check") {
    auto id = rec->begin_run(header(), true);
    rec->write(id, orders(2));
    CHECK(value(*rec, "SELECT count(*) FROM orders", id) == integer(3));
    rec->abort_run();
    nothing_new();
  }
  SECTION("the recording destroyed after a check") {
    auto id = rec->begin_run(header(), true);
    rec->write(id, orders(2));
    CHECK(value(*rec, "SELECT count(*) FROM orders", id) == integer(3));
    rec.reset();
    nothing_new();
    return;
  }
  SECTION("a failed write") {
    auto id = rec->begin_run(header(), true);
    auto twice = orders(1);
    twice.orders.push_back(twice.orders.front());
    // The staging has no UNIQUE index: the copy into the file finds it.
    rec->write(id, twice);
    CHECK_THROWS_WITH(rec->finish_run(id, true, "00", 0, 0),
                      Catch::Contains("UNIQUE constraint failed: orders"));
    nothing_new();
  }
  // The next run, checked or not, starts from a clean connection.
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(1));
  CHECK(value(*rec, "SELECT count(*) FROM orders WHERE run_id = :run", id)
        == integer(1));
  CHECK(rec->finish_run(id, true, "00", 0, 0) == 2);
  CHECK(commit_run(*rec, 2) == 3);
  CHECK(db.integer("SELECT count(*) FROM orders") == 4);
}

TEST_CASE("a check is refused while a run without checks is open",
          "[recording][checks][lock]") {
  scratch_dir dir;
  auto path = dir.file("direct.sqlite");
  auto rec = open_ok(path);
  auto id = rec->begin_run(header());
  rec->write(id, orders(1));
  std::string error;
  CHECK_FALSE(rec->query_scalar("SELECT 1", id, error));
  CHECK(error
        == "run 1 was begun without checks to follow: a check would hold "
           "its write lock");
  CHECK(rec->finish_run(id, true, "00", 0, 0) == 1);
  // Outside a run a check reads the file.
  CHECK(value(*rec, "SELECT count(*) FROM orders WHERE run_id = :run", id)
        == integer(1));
}

TEST_CASE("a check cannot write to its run's staged rows",
          "[recording][checks][lock]") {
  scratch_dir dir;
  auto path = dir.file("refuse.sqlite");
  auto rec = open_ok(path);
  auto id = rec->begin_run(header(), true);
  rec->write(id, orders(2));
  CHECK(value(*rec, "SELECT count(*) FROM orders", id) == integer(2));
  std::string error;
  auto refused = [&](const std::string& sql) {
    error.clear();
    CHECK_FALSE(rec->query_scalar(sql, id, error));
    return error;
  };
  auto refusal = [](const std::string& what) {
    return "query is not read-only: " + what + " is refused in a check";
  };
  CHECK(refused("DELETE FROM orders WHERE run_id = :run RETURNING 1")
        == refusal("DELETE from orders"));
  CHECK(refused("UPDATE runs SET verdict = 'pass' RETURNING 1")
        == refusal("UPDATE of runs"));
  CHECK(refused("INSERT INTO execsim_staged_orders DEFAULT VALUES "
                "RETURNING 1")
        == refusal("INSERT into execsim_staged_orders"));
  CHECK(refused("DELETE FROM temp.execsim_staged_attempts RETURNING 1")
        == refusal("DELETE from execsim_staged_attempts"));
  CHECK(refused("DELETE FROM main.orders RETURNING 1")
        == refusal("DELETE from orders"));
  CHECK_FALSE(refused("DROP VIEW orders").empty());
  CHECK_FALSE(refused("DROP TABLE execsim_staged_orders").empty());
  // Nothing changed.
  CHECK(value(*rec, "SELECT count(*) FROM orders WHERE run_id = :run", id)
        == integer(2));
  CHECK(value(*rec, "SELECT count(*) FROM attempts WHERE run_id = :run", id)
        == integer(2));
  CHECK(rec->finish_run(id, true, "00", 0, 0) == 1);
  raw_db db{path};
  CHECK(db.integer("SELECT count(*) FROM orders") == 2);
  CHECK(db.integer("SELECT count(*) FROM attempts") == 2);
}

TEST_CASE("a process killed during a check leaves no trace of its run",
          "[recording][checks][lock][processes]") {
  scratch_dir dir;
  auto path = dir.file("killed.sqlite");
  {
    auto rec = open_ok(path);
    commit_run(*rec, 1);
  }
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  auto pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    alarm(60); // never outlive a parent that crashed
    std::string error;
    auto rec = recording::open(path, error);
    if (!rec)
      _exit(1);
    rec->set_check_time_limit(std::chrono::milliseconds{60'000});
    auto id = rec->begin_run(header(), true);
    rec->write(id, orders(2));
    char ready = 1;
    if (write(pipe_fds[1], &ready, 1) != 1)
      _exit(2);
    rec->query_scalar(forever, id, error); // killed in here
    _exit(3);
  }
  close(pipe_fds[1]);
  char ready = 0;
  REQUIRE(read(pipe_fds[0], &ready, 1) == 1);
  close(pipe_fds[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds{100});
  {
    // While the child checks, another writer writes at once.
    auto rec = open_ok(path);
    sqlite3_busy_timeout(rec->handle(), 200);
    CHECK(commit_run(*rec, 1) == 2);
  }
  REQUIRE(kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status));

  raw_db db{path};
  CHECK(db.text("PRAGMA integrity_check") == "ok");
  CHECK(db.integer("SELECT count(*) FROM runs") == 2);
  CHECK(db.integer("SELECT count(*) FROM orders") == 2);
  CHECK(db.integer("SELECT count(*) FROM runs WHERE scenario = 'checked'")
        == 0);
}

TEST_CASE("execsim run: another process records while a scenario's check "
          "runs, and the run gets the id it is printed with",
          "[recording][checks][lock][cli]") {
  scratch_dir scratch;
  auto dir = scratch.path();
  scratch.write("slow.toml", R"(name = "slow check"
[exchange]
latency = "20ms"
[exchange.prices]
AAPL = "150.25"

[[orders]]
id = "o1"
quantity = 10

[[check]]
sql = "SELECT count(*) FROM fills WHERE run_id = :run"
equals = 1

[[check]]
sql = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"
equals = 1
)");
  auto cmd = fmt::format("cd {0} && EXECSIM_CHECK_TIMEOUT_MS=3000 {1} run "
                         "slow.toml --db {0}/r.sqlite > {0}/out.txt 2>&1",
                         dir, EXECSIM_BINARY);
  int status = -1;
  std::thread child([&] { status = std::system(cmd.c_str()); });
  // The child is in its 3 s check by now; another writer that waits at
  // most 200 ms records a run.
  std::this_thread::sleep_for(std::chrono::milliseconds{1000});
  std::string other_error;
  try {
    raw_db db{dir + "/r.sqlite"};
    db.exec("PRAGMA busy_timeout = 200");
    db.exec("BEGIN IMMEDIATE;"
            "INSERT INTO runs (scenario, file, scenario_text, seed, "
            "started_at) VALUES ('other', 'o.toml', '', 1, 'x');"
            "COMMIT");
  } catch (const std::exception& e) {
    other_error = e.what();
  }
  child.join();
  auto out = slurp(dir + "/out.txt");
  INFO(out);
  CHECK(other_error == "");
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1); // the runaway check fails the run
  CHECK(out.find("query exceeded its time limit of 3000 ms")
        != std::string::npos);
  CHECK(out.find("(run 2,") != std::string::npos);
  raw_db db{dir + "/r.sqlite"};
  CHECK(db.rows("SELECT run_id, scenario, verdict FROM runs ORDER BY run_id")
        == std::vector<std::vector<std::string>>{{"1", "other", "running"},
                                                 {"2", "slow check", "fail"}});
  CHECK(db.integer("SELECT count(*) FROM fills WHERE run_id = 2") == 1);
}
