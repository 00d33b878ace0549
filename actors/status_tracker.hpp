// The status tracker: follows every order's events on the bus,
//   started -> executed [-> recovered]   or   started -> failed
//   [-> reconciled] (the reconciler's event, after a STATUS_UNKNOWN result),
// and reports any other transition, or any event after the final one, as a
// `terminal` invariant violation.
#pragma once

#include <caf/fwd.hpp>

#include <cstdint>

namespace execsim {

struct run_context;

/// Counts of orders by the last status the tracker saw.
struct status_counts {
  std::uint64_t started = 0;
  std::uint64_t executed = 0;
  std::uint64_t recovered = 0;
  std::uint64_t failed = 0;
  std::uint64_t reconciled = 0;
};

/// `counts` is updated as events arrive (it must outlive the run).
caf::actor spawn_status_tracker(run_context& ctx, status_counts* counts);

} // namespace execsim
