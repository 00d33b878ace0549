// The recorder: subscribes to every event on the bus (simulated traffic,
// traced), and writes the run log's row batches into the run's open
// transaction. Batches are written by a plain call, never sent as a
// message: a message would change which actor the scheduler runs next,
// so a run's trace would depend on whether and when rows are written.
#pragma once

#include "sim/records.hpp"

#include <caf/fwd.hpp>

#include <cstdint>
#include <string>

namespace execsim {

struct run_context;
class recording;

/// Where the recorder writes; `error` is set if a write failed (the run
/// then fails instead of pretending it was recorded).
struct recorder_target {
  recording* db = nullptr;
  /// Also (or instead) keep every row in memory: tests and reports.
  row_batch* capture = nullptr;
  std::int64_t run_id = 0;
  std::string error;
};

caf::actor spawn_recorder(run_context& ctx);

/// Writes `rows` to the target's capture and database; the first failure
/// is kept in `target.error` and nothing more is written.
void record_batch(recorder_target& target, const row_batch& rows);

} // namespace execsim
