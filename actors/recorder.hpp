// The recorder: subscribes to every event on the bus and takes the run
// log's row batches, and writes both into the run's open transaction.
#pragma once

#include "sim/records.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
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

caf::actor spawn_recorder(run_context& ctx, recorder_target* target);

} // namespace execsim

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::row_batch)
