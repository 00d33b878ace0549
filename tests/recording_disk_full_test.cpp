// When the recording cannot be written (the disk is full), the caller
// learns SQLite's real reason, and the run leaves no rows.
#include "libexec/run/runner.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"
#include <fmt/format.h>
#include <sqlite3.h>

#include <string>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;

namespace {

run_header header() {
  run_header h;
  h.scenario = "full";
  h.file = "full.toml";
  h.scenario_text = "name = \"full\"\n";
  h.seed = 1;
  h.started_at = "2026-01-01T00:00:00Z";
  return h;
}

/// Enough text to need many more pages than the limit allows.
row_batch big_batch() {
  row_batch b;
  for (int i = 0; i < 200; ++i)
    b.trace.push_back({i + 1, i, std::string(2000, 'x')});
  return b;
}

/// Limits the writer's file to a few pages more than it has: the disk is
/// "full" from the writer's point of view.
void fill_disk(recording& rec) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(rec.handle(), "PRAGMA page_count", -1, &stmt,
                             nullptr)
          == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  auto pages = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  auto sql = fmt::format("PRAGMA max_page_count = {}", pages + 4);
  REQUIRE(sqlite3_exec(rec.handle(), sql.c_str(), nullptr, nullptr, nullptr)
          == SQLITE_OK);
}

} // namespace

TEST_CASE("a full disk reaches the caller as SQLite's own reason",
          "[recording][disk_full]") {
  scratch_dir dir;
  auto path = dir.file("full.sqlite");
  std::string error;
  auto rec = recording::open(path, error);
  INFO(error);
  REQUIRE(rec);
  fill_disk(*rec);
  auto id = rec->begin_run(header());

  CHECK_THROWS_WITH(rec->write(id, big_batch()),
                    path + ": inserting into trace: database or disk is full");
  // Finishing the run says why it was not recorded, not only that it is
  // not open.
  CHECK_THROWS_WITH(rec->finish_run(id, true, "00", 0, 0),
                    path + ": inserting into trace: database or disk is full");
  {
    raw_db db{path};
    CHECK(db.integer("SELECT count(*) FROM runs") == 0);
    CHECK(db.integer("SELECT count(*) FROM trace") == 0);
    CHECK(db.text("PRAGMA integrity_check") == "ok");
  }

  SECTION("once another run began, the failure is forgotten") {
    rec->begin_run(header());
    rec->abort_run();
    CHECK_THROWS_WITH(rec->finish_run(id, true, "00", 0, 0),
                      Catch::Contains("it is not the open run"));
  }

  SECTION("with room again, the next run is recorded") {
    REQUIRE(sqlite3_exec(rec->handle(), "PRAGMA max_page_count = 1000000",
                         nullptr, nullptr, nullptr)
            == SQLITE_OK);
    auto next = rec->begin_run(header());
    rec->write(next, big_batch());
    rec->finish_run(next, true, "00", 0, 0);
    raw_db db{path};
    CHECK(db.integer("SELECT count(*) FROM trace") == 200);
  }
}

TEST_CASE("a run that fills the disk reports SQLite's reason",
          "[recording][disk_full]") {
  scratch_dir dir;
  auto path = dir.file("full.sqlite");
  std::string error;
  auto rec = recording::open(path, error);
  REQUIRE(rec);
  std::string text = "name = \"full\"\n";
  for (int i = 0; i < 50; ++i)
    text += fmt::format("[[orders]]\nid = \"o{}\"\nquantity = 10\n", i);
  text += "[[check]]\nsql = \"SELECT count(*) FROM orders\"\nequals = 50\n";
  auto loaded = load_scenario_text(text, "full.toml");
  REQUIRE(loaded.errors.empty());
  fill_disk(*rec);
  run_options opt;
  opt.db = rec.get();
  auto out = run_scenario(*loaded.value, opt);
  CHECK_FALSE(out.pass);
  CHECK_THAT(out.error,
             Catch::StartsWith("recording failed: " + path + ": inserting "
                               "into ")
               && Catch::EndsWith(": database or disk is full"));
  raw_db db{path};
  CHECK(db.integer("SELECT count(*) FROM runs") == 0);
}
