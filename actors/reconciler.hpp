// The reconciler: what ends STATUS_UNKNOWN in production. It subscribes to
// order.execution_failed on the bus; for each order whose result is
// STATUS_UNKNOWN (the executor actor holds such an order for it,
// sim/reconciliation.hpp) it waits `after`, then asks the exchange for the
// order's key through the network (latency, outages and the rate limit
// apply), again `interval` after each inconclusive answer, until it finds
// the order or rules it out, or gives up after `max_queries`. It then
// publishes order.reconciled with the outcome and lets the order go.
#pragma once

#include <caf/fwd.hpp>

namespace execsim {

struct run_context;

/// Needs ctx.reconciliations set (the scenario has a [reconciler]).
caf::actor spawn_reconciler(run_context& ctx);

} // namespace execsim
