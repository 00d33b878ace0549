// The recorder: subscribes to every event on the bus (simulated traffic,
// traced); the run log's row batches go into the run's open transaction.
// Batches are handed over by a plain call, never sent as a message: a
// message would change which actor the scheduler runs next, so a run's
// trace would depend on whether and when rows are written.
#pragma once

#include "sim/records.hpp"

#include <caf/fwd.hpp>

#include <cstdint>
#include <string>

namespace execsim {

struct run_context;
class recording;

/// Where the run's rows go; `error` is set if a write failed (the run then
/// fails instead of pretending it was recorded).
struct recorder_target {
  recording* db = nullptr;
  /// Also (or instead) keep every row in memory: tests and reports.
  row_batch* capture = nullptr;
  std::int64_t run_id = 0;
  std::string error;
};

caf::actor spawn_recorder(run_context& ctx);

/// Appends `rows` to `capture` (tests and reports keep a run in memory).
/// The database side is sim/batch_writer.hpp's, on a thread of its own.
void capture_batch(row_batch& capture, const row_batch& rows);

} // namespace execsim
