#include "actors/executor/timer_service.hpp"

#include "sim/messages.hpp"
#include "sim/order_table.hpp"
#include "sim/run_context.hpp"
#include "sim/runtime.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/type_erased_tuple.hpp>

#include "sim/assert.hpp"

namespace execsim {

namespace {

caf::behavior timer_actor(caf::event_based_actor* self, run_context* ctx) {
  return {
    [=](const timer_request& r) {
      // Forwarded at the same virtual time; not a trace line of its own
      // (the executor traces the timer it receives).
      EXECSIM_ASSERT(r.order < ctx->orders->size());
      if (ctx->orders->is_released(r.order))
        return;
      if (const auto* st = ctx->orders->find(r.order); st && st->executor)
        self->send(st->executor, timer_msg{r.id, r.serial});
    },
  };
}

} // namespace

caf::actor spawn_timer_service(run_context& ctx) {
  return ctx.rt->system().spawn(timer_actor, &ctx);
}

void withdraw_timer(run_context& ctx, ns_t due, order_ix order,
                    std::uint64_t serial) {
  EXECSIM_ASSERT(ctx.orders->is_released(order));
  ctx.rt->withdraw_delayed(
    due, ctx.timers, [order, serial](const caf::type_erased_tuple& m) {
      if (!m.match_elements<timer_request>())
        return false;
      const auto& r = m.get_as<timer_request>(0);
      return r.order == order && r.serial == serial;
    });
}

} // namespace execsim
