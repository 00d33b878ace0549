// The network between executors and the exchange: one-way latency (fixed,
// seeded uniform or lognormal, with seeded spikes; sim/latency_model.hpp)
// per message and direction, and the fault sites of
// fault_plan.hpp applied on the way. Every message it puts on the wire is
// counted in its order's in_flight until the receiver takes it.
#pragma once

#include "sim/messages.hpp"
#include "sim/virtual_time.hpp"

#include <caf/fwd.hpp>

namespace execsim {

struct run_context;
struct order_state;

/// Which way a message travels, for its latency draw.
enum class leg : std::uint64_t {
  submit_out = 1,
  submit_back = 2,
  check_out = 3,
  check_back = 4,
  reconcile_out = 5, ///< the reconciler's query (attempt = query number)
  reconcile_back = 6,
};

class network {
public:
  explicit network(run_context& ctx) noexcept : ctx_(ctx) {
  }

  /// Executor -> exchange. A network error comes back to `from` at once.
  void send_submit(caf::event_based_actor* from, submit_msg msg);
  void send_check(caf::event_based_actor* from, check_msg msg);
  /// Reconciler -> exchange: query `msg.query` (> 0) about an order that
  /// has its result; only an outage fails it (at once, back to `from`).
  void send_query(caf::event_based_actor* from, check_msg msg);

  /// Exchange -> executor `to`.
  void send_submit_answer(caf::event_based_actor* exchange,
                          const caf::actor& to, submit_answer answer);
  void send_check_answer(caf::event_based_actor* exchange,
                         const caf::actor& to, check_answer answer);

  /// The receiver took a message of this order off the wire.
  void delivered(order_ix order) noexcept;

  /// One-way latency of this message.
  ns_t latency(const order_state& o, int attempt, leg way) const noexcept;

private:
  run_context& ctx_;
};

} // namespace execsim
