#include "actors/recorder.hpp"

#include "sim/messages.hpp"
#include "sim/run_context.hpp"
#include "sim/run_log.hpp"
#include "sim/trace.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <fmt/format.h>


namespace execsim {

namespace {

template <class T>
void append_rows(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

void append(row_batch& to, const row_batch& from) {
  append_rows(to.orders, from.orders);
  append_rows(to.attempts, from.attempts);
  append_rows(to.checks, from.checks);
  append_rows(to.fills, from.fills);
  append_rows(to.events, from.events);
  append_rows(to.faults, from.faults);
  append_rows(to.violations, from.violations);
  append_rows(to.trace, from.trace);
  append_rows(to.arrivals, from.arrivals);
  append_rows(to.reconciliations, from.reconciliations);
}

caf::behavior recorder_actor(caf::event_based_actor*, run_context* ctx) {
  return {
    [=](const event_msg& e) {
      ctx->tr->add(ctx->now(), "bus", "recorder",
                   fmt::format("event seq={}", e.seq));
      ctx->log->event(e);
    },
  };
}

} // namespace

void capture_batch(row_batch& capture, const row_batch& rows) {
  append(capture, rows);
}

caf::actor spawn_recorder(run_context& ctx) {
  return ctx.rt->system().spawn(recorder_actor, &ctx);
}

} // namespace execsim
