// `execsim report --format text`: a recorded run for people. A header, then
// each order's key, result and timeline (attempts, duplicate checks, fills,
// events and faults merged by virtual time), then violations.
#pragma once

#include "libexec/report/timeline_events.hpp"
#include "sim/recorded_run.hpp"

#include "sim/records.hpp"
#include "sim/virtual_time.hpp"

#include <optional>
#include <string>

namespace execsim::cli {

/// An order's result line: "success, exchange order X-1, fill price
/// 150.25, retry_count 0, started 0s, finished 520ms".
std::string order_result_text(const order_row& order);

/// The whole report, ending in a newline. Without `timeouts` (the recorded
/// scenario no longer loads) a timeout is shown at its request's time.
std::string report_text(const recorded_run& run, const row_batch& rows,
                        const std::optional<report_timeouts>& timeouts);

} // namespace execsim::cli
