#include "actors/timer_service.hpp"

#include "actors/messages.hpp"
#include "sim/run_context.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

namespace execsim {

namespace {

caf::behavior timer_actor(caf::event_based_actor* self) {
  return {
    [=](const timer_request& r) {
      // Forwarded at the same virtual time; not a trace line of its own
      // (the executor traces the timer it receives).
      if (auto who = caf::actor_cast<caf::actor>(r.who))
        self->send(who, timer_msg{r.id});
    },
  };
}

} // namespace

caf::actor spawn_timer_service(run_context& ctx) {
  return ctx.rt->system().spawn(timer_actor);
}

} // namespace execsim
