#include "actors/status_tracker.hpp"

#include "sim/messages.hpp"
#include "sim/run_context.hpp"
#include "sim/run_log.hpp"
#include "sim/trace.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <fmt/format.h>

#include "sim/assert.hpp"

#include <vector>

namespace execsim {

namespace {

enum class status : std::uint8_t {
  none,
  started,
  executed,
  recovered,
  failed,
  reconciled,
};

constexpr const char* to_string(status s) noexcept {
  switch (s) {
    case status::none: return "none";
    case status::started: return "started";
    case status::executed: return "executed";
    case status::recovered: return "recovered";
    case status::failed: return "failed";
    case status::reconciled: return "reconciled";
  }
  return "?";
}

/// The status after `channel` from `from`, or none if the move is illegal.
status next(status from, event_channel channel) noexcept {
  switch (channel) {
    case event_channel::execution_started:
      return from == status::none ? status::started : status::none;
    case event_channel::executed:
      return from == status::started ? status::executed : status::none;
    case event_channel::recovered:
      return from == status::executed ? status::recovered : status::none;
    case event_channel::execution_failed:
      return from == status::started ? status::failed : status::none;
    case event_channel::reconciled:
      // The reconciler's, after the result: not an executor event.
      return from == status::failed ? status::reconciled : status::none;
  }
  return status::none;
}

struct tracker_state {
  // One byte per order of the run, by order index.
  std::vector<status> statuses;
};

caf::behavior tracker_actor(caf::stateful_actor<tracker_state>* self,
                            run_context* ctx, status_counts* counts) {
  return {
    [=](const event_msg& e) {
      ctx->tr->add(ctx->now(), "bus", "tracker",
                   fmt::format("event seq={}", e.seq));
      auto& st = self->state.statuses;
      if (st.size() <= e.order)
        st.resize(e.order + 1, status::none);
      auto from = st[e.order];
      auto to = next(from, e.channel);
      if (to == status::none) {
        ctx->log->violation(
          {"terminal", e.order_id,
           fmt::format("{} in status {} (expected started -> executed "
                       "[-> recovered] or started -> failed)",
                       to_string(e.channel), to_string(from))});
        return;
      }
      st[e.order] = to;
      switch (to) {
        case status::started: ++counts->started; break;
        case status::executed: ++counts->executed; break;
        case status::recovered: ++counts->recovered; break;
        case status::failed: ++counts->failed; break;
        case status::reconciled: ++counts->reconciled; break;
        case status::none: break;
      }
      // Only legal moves are counted: every count follows from the ones
      // before it in the life of an order.
      EXECSIM_ASSERT(counts->executed + counts->failed <= counts->started);
      EXECSIM_ASSERT(counts->recovered <= counts->executed);
      EXECSIM_ASSERT(counts->reconciled <= counts->failed);
    },
  };
}

} // namespace

caf::actor spawn_status_tracker(run_context& ctx, status_counts* counts) {
  return ctx.rt->system().spawn(tracker_actor, &ctx, counts);
}

} // namespace execsim
