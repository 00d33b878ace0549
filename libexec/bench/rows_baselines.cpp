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

bench_row sqlite_row(const sqlite_baseline& b) {
  bench_row r;
  r.key = "baseline_sqlite";
  r.title = "baseline SQLite";
  auto rows_s = per_second(static_cast<double>(b.rows), b.seconds);
  r.figure = grouped(rows_s) + " rows/s";
  r.notes.push_back(fmt::format(
    "{} attempt rows through recording::write, one transaction, temp file, "
    "in {} ({} CPU)",
    grouped(static_cast<double>(b.rows)), seconds_text(b.seconds),
    seconds_text(b.cpu_seconds)));
  r.data = {{"rows", b.rows},
            {"seconds", b.seconds},
            {"cpu_seconds", b.cpu_seconds},
            {"rows_per_s", rows_s}};
  return r;
}

} // namespace execsim::bench
