// The driver: asks an executor to execute each order at the order's `at`
// (spawning one executor actor per order, only when it is due), and takes
// the results. Orders are pulled from an order_source, so a run of a
// million orders never holds a million executors.
#pragma once

#include <caf/fwd.hpp>

#include <functional>
#include <string>

namespace execsim {

struct run_context;
class order_source;

/// Whether an order is named by an [[expect]] (its state is kept).
using expected_fn = std::function<bool(const std::string& order_id)>;

caf::actor spawn_driver(run_context& ctx, order_source* source,
                        expected_fn expected);

} // namespace execsim
