// The SQLite baseline without any execsim code: the rows the recording's
// `attempts` table holds, inserted the cheapest way SQLite offers. Judging
// the end-to-end figure against execsim's own writer instead would flatter
// it by however much that writer wastes.
#include "libexec/bench/baselines.hpp"

#include "libexec/bench/stopwatch.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace execsim::bench {

namespace {

// The recording's attempts table as `sqlite3 FILE .schema attempts` shows it
// (columns, types, CHECKs, the unique index), written out by hand so that
// nothing of execsim's schema code is in the measurement.
constexpr const char* raw_schema = R"sql(
CREATE TABLE attempts (
  run_id INTEGER NOT NULL,
  order_id TEXT NOT NULL,
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  sent_at_ns INTEGER NOT NULL,
  answered_at_ns INTEGER,
  outcome TEXT NOT NULL CHECK (outcome = 'ack' OR outcome = 'timeout' OR outcome = 'network_error' OR outcome = 'rejected'),
  error_code TEXT,
  timed_out_at_ns INTEGER,
  late_answer TEXT CHECK (late_answer = 'ack' OR late_answer = 'rejected' OR late_answer = 'network_error'),
  abandoned INTEGER CHECK (abandoned IN (0, 1)));
CREATE UNIQUE INDEX attempts_by_order ON attempts (run_id, order_id, attempt);
)sql";

struct db_closer {
  void operator()(sqlite3* db) const noexcept {
    sqlite3_close(db);
  }
};

struct stmt_closer {
  void operator()(sqlite3_stmt* s) const noexcept {
    sqlite3_finalize(s);
  }
};

void exec(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string what = msg ? msg : "unknown error";
    sqlite3_free(msg);
    throw std::runtime_error("baseline SQLite: " + what);
  }
}

void check(sqlite3* db, int rc, int expected) {
  if (rc != expected)
    throw std::runtime_error(std::string("baseline SQLite: ")
                             + sqlite3_errmsg(db));
}

/// One row's values, bound SQLITE_STATIC: the buffers outlive the insert.
void insert_one(sqlite3* db, sqlite3_stmt* ins, const std::string& order_id,
                std::uint64_t i) {
  auto sent = static_cast<sqlite3_int64>(i) * 1000;
  bool acked = i % 10 != 0;
  sqlite3_bind_int64(ins, 1, 1);
  sqlite3_bind_text(ins, 2, order_id.data(), static_cast<int>(order_id.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int(ins, 3, 1 + static_cast<int>(i % 3));
  sqlite3_bind_int64(ins, 4, sent);
  if (acked)
    sqlite3_bind_int64(ins, 5, sent + 20'000'000);
  else
    sqlite3_bind_null(ins, 5);
  static constexpr char ack[] = "ack";
  static constexpr char timeout[] = "timeout";
  if (acked)
    sqlite3_bind_text(ins, 6, ack, 3, SQLITE_STATIC);
  else
    sqlite3_bind_text(ins, 6, timeout, 7, SQLITE_STATIC);
  check(db, sqlite3_step(ins), SQLITE_DONE);
  sqlite3_reset(ins);
}

} // namespace

sqlite_baseline measure_sqlite(std::uint64_t n, const std::string& db_path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open(db_path.c_str(), &raw);
  std::unique_ptr<sqlite3, db_closer> db(raw);
  check(db.get(), rc, SQLITE_OK);
  exec(db.get(), "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  exec(db.get(), raw_schema);

  // Ids are formatted before the clock starts, the same ids the writer
  // baseline's rows carry (baseline_writer.cpp).
  std::vector<std::string> ids;
  ids.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i)
    ids.push_back("o" + std::to_string(i + 1));

  sqlite3_stmt* s = nullptr;
  check(db.get(),
        sqlite3_prepare_v2(db.get(),
                           "INSERT INTO attempts (run_id, order_id, attempt, "
                           "sent_at_ns, answered_at_ns, outcome) VALUES "
                           "(?1, ?2, ?3, ?4, ?5, ?6)",
                           -1, &s, nullptr),
        SQLITE_OK);
  std::unique_ptr<sqlite3_stmt, stmt_closer> ins(s);
  stopwatch sw;
  exec(db.get(), "BEGIN");
  for (std::uint64_t i = 0; i < n; ++i)
    insert_one(db.get(), ins.get(), ids[i], i);
  exec(db.get(), "COMMIT");
  return {n, sw.seconds(), sw.cpu_seconds()};
}

} // namespace execsim::bench
