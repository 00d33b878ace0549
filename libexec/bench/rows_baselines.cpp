#include "libexec/bench/rows.hpp"
#include "libexec/bench/stopwatch.hpp"

#include <fmt/format.h>

namespace execsim::bench {

bench_row caf_row(const caf_baseline& b) {
  bench_row r;
  r.key = "baseline_caf";
  r.title = "baseline CAF";
  auto rt_s = per_second(static_cast<double>(b.round_trips), b.seconds);
  auto steps_s = per_second(static_cast<double>(b.steps), b.seconds);
  auto steps_per_rt = b.round_trips ? static_cast<double>(b.steps)
                                        / static_cast<double>(b.round_trips)
                                    : 0.0;
  r.figure = grouped(rt_s) + " round trips/s";
  r.notes.push_back(fmt::format(
    "{} actors spawned, each one send to a server and one reply, in {} "
    "({} CPU); {:.2f} scheduler steps per round trip = {} steps/s",
    grouped(static_cast<double>(b.round_trips)), seconds_text(b.seconds),
    seconds_text(b.cpu_seconds), steps_per_rt, grouped(steps_s)));
  r.data = {{"round_trips", b.round_trips}, {"steps", b.steps},
            {"seconds", b.seconds},         {"cpu_seconds", b.cpu_seconds},
            {"round_trips_per_s", rt_s},    {"steps_per_s", steps_s}};
  return r;
}

namespace {

bench_row rows_row(const sqlite_baseline& b, const char* key,
                   const char* title, const char* how) {
  bench_row r;
  r.key = key;
  r.title = title;
  auto rows_s = per_second(static_cast<double>(b.rows), b.seconds);
  r.figure = grouped(rows_s) + " rows/s";
  r.notes.push_back(fmt::format(
    "{} attempt-shaped rows {}, one transaction, temp file, in {} ({} CPU)",
    grouped(static_cast<double>(b.rows)), how, seconds_text(b.seconds),
    seconds_text(b.cpu_seconds)));
  r.data = {{"rows", b.rows},
            {"seconds", b.seconds},
            {"cpu_seconds", b.cpu_seconds},
            {"rows_per_s", rows_s}};
  return r;
}

} // namespace

bench_row sqlite_row(const sqlite_baseline& b) {
  return rows_row(b, "baseline_sqlite", "baseline SQLite (bare sqlite3)",
                  "as bare sqlite3 prepared inserts (WAL, SQLITE_STATIC "
                  "binds, no execsim code)");
}

bench_row writer_row(const sqlite_baseline& b) {
  return rows_row(b, "recording_writer", "execsim's recording writer",
                  "through recording::write (not a baseline: what the "
                  "writer costs over bare SQLite)");
}

} // namespace execsim::bench
