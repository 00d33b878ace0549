#include "actors/event_bus.hpp"

#include "sim/run_context.hpp"
#include "sim/trace.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <fmt/format.h>

#include "sim/assert.hpp"

#include <cstdint>
#include <vector>

namespace execsim {

namespace {

struct subscriber {
  caf::actor who;
  std::string name;
  std::string channel; // "" = all
};

struct bus_state {
  // In subscription order: delivery order is part of the trace.
  std::vector<subscriber> subscribers;
  /// The last event's publish number: events arrive in publish order.
  std::int64_t last_seq = -1;
};

caf::behavior bus_actor(caf::stateful_actor<bus_state>* self,
                        run_context* ctx) {
  return {
    [=](subscribe_msg& m) {
      self->state.subscribers.push_back(
        {std::move(m.who), std::move(m.name), std::move(m.channel)});
    },
    [=](const event_msg& e) {
      EXECSIM_ASSERT(e.seq > self->state.last_seq);
      self->state.last_seq = e.seq;
      // Only the reconciler publishes order.reconciled.
      ctx->tr->add(ctx->now(),
                   e.channel == event_channel::reconciled
                     ? std::string{"reconciler"}
                     : "executor/" + e.order_id,
                   "bus",
                   fmt::format("publish seq={} {} {}", e.seq,
                               to_string(e.channel), e.payload));
      for (const auto& s : self->state.subscribers)
        if (s.channel.empty() || s.channel == to_string(e.channel))
          self->send(s.who, e);
    },
  };
}

} // namespace

caf::actor spawn_event_bus(run_context& ctx) {
  return ctx.rt->system().spawn(bus_actor, &ctx);
}

} // namespace execsim
