// The actor that runs one order's executor (one actor per order in flight:
// CAF 0.17 is O(n^2) in requests pending at one actor, linear this way).
// It implements executor_port for the executor logic it hosts: routes its
// submits and checks through the network, records attempts and checks,
// traces every message it takes, and quits once the order is released.
#pragma once

#include "sim/messages.hpp"

#include <caf/fwd.hpp>

namespace execsim {

struct run_context;

/// Spawns the executor for `order` (kind from the scenario's [executor]).
caf::actor spawn_executor(run_context& ctx, order_ix order);

} // namespace execsim
