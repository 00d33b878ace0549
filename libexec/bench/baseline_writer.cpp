#include "libexec/bench/baselines.hpp"

#include "libexec/bench/stopwatch.hpp"
#include "sim/recording.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace execsim::bench {

sqlite_baseline measure_writer(std::uint64_t n, const std::string& db_path) {
  std::string error;
  auto db = recording::open(db_path, error);
  if (!db)
    throw std::runtime_error(error);

  // Rows are built before the clock starts: the figure is the writer's
  // cost, not the allocator's. Shaped like a run's attempts (timeouts
  // included), the same rows baseline_sqlite.cpp inserts raw.
  row_batch batch;
  batch.attempts.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    attempt_row a;
    a.order_id = fmt::format("o{}", i + 1);
    a.attempt = 1 + static_cast<int>(i % 3);
    a.sent_at_ns = static_cast<ns_t>(i) * 1000;
    if (i % 10 != 0) {
      a.answered_at_ns = a.sent_at_ns + 20'000'000;
      a.outcome = "ack";
    } else {
      a.outcome = "timeout";
    }
    batch.attempts.push_back(std::move(a));
  }

  run_header h;
  h.scenario = "bench: recording writer";
  h.started_at = "1970-01-01T00:00:00Z";
  stopwatch sw;
  auto run_id = db->begin_run(h);
  db->write(run_id, batch);
  db->finish_run(run_id, true, "", 0, 0);
  return {n, sw.seconds(), sw.cpu_seconds()};
}

} // namespace execsim::bench
