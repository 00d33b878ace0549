// `execsim report --format text`: a recorded run for people. A header, then
// each order's key, result and timeline (attempts, duplicate checks, fills,
// events and faults merged by virtual time), then violations.
#pragma once

#include "sim/recorded_run.hpp"

#include "sim/records.hpp"
#include "sim/virtual_time.hpp"

#include <optional>
#include <string>

namespace execsim::cli {

/// When an unanswered attempt or check gave up. The recording keeps only
/// that none came; the timeouts come from the recorded scenario text.
struct report_timeouts {
  ns_t submit = 0;
  ns_t check = 0;
};

/// The whole report, ending in a newline. Without `timeouts` (the recorded
/// scenario no longer loads) a timeout is shown at its request's time.
std::string report_text(const recorded_run& run, const row_batch& rows,
                        const std::optional<report_timeouts>& timeouts);

} // namespace execsim::cli
