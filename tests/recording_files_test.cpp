// Another application's SQLite file is recognised before execsim changes
// anything in it: refused with the reason, the file's bytes and journal
// mode as they were.
#include "sim/recorded_run.hpp"
#include "sim/recording.hpp"

#include <catch2/catch.hpp>

#include "tests/test_support.hpp"
#include "tests/test_support_db.hpp"

#include <string>

using namespace execsim;
using execsim::testing::raw_db;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

/// Opens `path` as a recording (it must be refused) and checks nothing in
/// the file changed; returns the refusal.
std::string refused_untouched(const std::string& path) {
  auto before = slurp(path);
  REQUIRE(!before.empty());
  std::string error;
  auto rec = recording::open(path, error);
  CHECK(rec == nullptr);
  CHECK(slurp(path) == before);
  raw_db db{path};
  CHECK(db.text("PRAGMA journal_mode") == "delete");
  return error;
}

} // namespace

TEST_CASE("a foreign SQLite file is refused before anything changes in it",
          "[recording][files]") {
  scratch_dir dir;
  auto path = dir.file("other.sqlite");

  SECTION("user_version 1 without execsim's tables") {
    {
      raw_db db{path};
      db.exec("CREATE TABLE customers (id INTEGER, name TEXT);"
              "PRAGMA user_version = 1");
    }
    CHECK(refused_untouched(path)
          == path + ": not an execsim recording (no table runs)");
  }

  SECTION("user_version 2 with a runs table of its own") {
    {
      raw_db db{path};
      db.exec("CREATE TABLE runs (id INTEGER, athlete TEXT);"
              "PRAGMA user_version = 2");
    }
    CHECK(refused_untouched(path)
          == path + ": not an execsim recording (table runs has no column "
                    "run_id)");
  }

  SECTION("user_version 0 with a runs table of its own") {
    {
      raw_db db{path};
      db.exec("CREATE TABLE runs (id INTEGER, athlete TEXT)");
    }
    CHECK(refused_untouched(path)
          == path + ": not an execsim recording (table runs has no column "
                    "run_id)");
  }

  SECTION("user_version 1 with execsim's runs table only") {
    {
      raw_db db{path};
      db.exec("CREATE TABLE runs (run_id INTEGER PRIMARY KEY, scenario TEXT,"
              " file TEXT, scenario_text TEXT, seed INTEGER, verdict TEXT,"
              " digest TEXT, virtual_end_ns INTEGER, wall_ms REAL,"
              " started_at TEXT, kind TEXT);"
              "PRAGMA user_version = 1");
    }
    CHECK(refused_untouched(path)
          == path + ": not an execsim recording (no table orders)");
  }

  SECTION("reading it for replay or report refuses it the same way") {
    {
      raw_db db{path};
      db.exec("CREATE TABLE customers (id INTEGER, name TEXT);"
              "PRAGMA user_version = 2");
    }
    auto before = slurp(path);
    std::string error;
    CHECK(cli::recorded_db::open(path, error) == nullptr);
    CHECK(error == path + ": not an execsim recording (no table runs)");
    CHECK(slurp(path) == before);
  }
}
