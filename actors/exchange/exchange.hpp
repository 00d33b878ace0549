// The simulated exchange as an actor: takes submits and duplicate checks
// off the network, applies the `submit.arrive` fault site (reject), asks the
// book, and answers through the network.
#pragma once

#include <caf/fwd.hpp>

namespace execsim {

struct run_context;

caf::actor spawn_exchange(run_context& ctx);

} // namespace execsim
