// What an executor may do through its port, given what its order has seen
// so far: attempts numbered 1, 2, 3, ... without gaps, a check only after an
// attempt that failed (a poll after any attempt sent), timers between 0 and
// a year, one result, nothing sent
// or published after it. The executor actor refuses any other action (the
// run stops with an error, `execsim run` exits 2), whether it comes from a
// C++ executor_logic or a line of the process protocol. Reference:
// docs/process-protocol.md ("Rules").
#pragma once

#include "actors/executor/port_action.hpp"
#include "sim/order_state.hpp"

#include <string>

namespace execsim {

/// The highest attempt number (and after_attempt) an executor may use.
inline constexpr int port_attempt_max = 1000;
/// The longest timer an executor may set: 365 days of virtual time.
inline constexpr ns_t port_timer_ns_max = 365LL * 24 * 3600 * 1'000'000'000;

/// Why the port refuses `a` for an order in state `st`; "" when it is
/// carried out.
std::string port_refusal(const order_state& st, const port_action& a);

} // namespace execsim
