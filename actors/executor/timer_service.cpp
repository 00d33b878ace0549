#include "actors/executor/timer_service.hpp"

#include "sim/messages.hpp"
#include "sim/order_table.hpp"
#include "sim/run_context.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

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

} // namespace execsim
