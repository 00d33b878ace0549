// Executor timers, held weakly. A CAF delayed message keeps its receiver
// alive until it fires, so a 2 s submit timeout would keep every finished
// executor in memory for 2 s of virtual time. Timers go to this actor
// instead, carrying only the order's index (not even a weak reference: CAF
// frees an actor's memory only when its weak references are gone too); a
// timer of a released order is dropped, and finished executors are freed at
// once.
#pragma once

#include "sim/messages.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>

#include <cstdint>

namespace execsim {

struct run_context;

struct timer_request {
  order_ix order = 0;
  std::uint64_t id = 0;
  std::uint64_t serial = 0; // the executor's count of its set_timer calls
};

caf::actor spawn_timer_service(run_context& ctx);

/// Takes a released order's timer (set as `serial`, due at virtual time
/// `due`) out of the clock: the service would drop it on arrival anyway.
/// A timer already fired is not there; then this does nothing.
void withdraw_timer(run_context& ctx, ns_t due, order_ix order,
                    std::uint64_t serial);

} // namespace execsim

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::timer_request)
