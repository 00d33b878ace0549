#include "actors/driver.hpp"

#include "actors/executor/executor_actor.hpp"
#include "sim/messages.hpp"
#include "sim/order_source.hpp"
#include "sim/rng.hpp"
#include "sim/run_context.hpp"
#include "sim/trace.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <fmt/format.h>

#include "sim/assert.hpp"
#include <chrono>

namespace execsim {

namespace {

std::string describe(const execution_result& r) {
  if (r.success)
    return fmt::format("result success {} retry_count={}{}",
                       exchange_order_name(r.exchange_order), r.retry_count,
                       r.fill_price ? " @" + r.fill_price->to_string()
                                    : std::string{});
  return fmt::format("result failure {} retry_count={}", r.error_code,
                     r.retry_count);
}

caf::behavior driver_actor(caf::event_based_actor* self, run_context* ctx,
                           order_source* source, expected_fn expected) {
  return {
    [=](feed_msg) {
      auto now = ctx->now();
      while (const auto* next = source->peek()) {
        if (next->at > now) {
          self->delayed_send(self, std::chrono::nanoseconds{next->at - now},
                             feed_msg{});
          return;
        }
        auto spec = source->take();
        EXECSIM_ASSERT(spec.at <= now); // never early
        bool keep = expected(spec.id);
        const auto count_before = ctx->orders->size();
        auto ix = ctx->orders->add(std::move(spec), keep);
        EXECSIM_ASSERT(ix == count_before);
        auto& st = ctx->orders->at(ix);
        st.id_hash = hash_name(st.spec.id);
        st.executor = spawn_executor(*ctx, ix);
        EXECSIM_ASSERT(st.executor != nullptr);
        self->send(st.executor, execute_msg{ix});
      }
    },
    [=](const result_msg& m) {
      ctx->tr->add(ctx->now(), "executor/" + m.order_id, "driver",
                   describe(m.result));
    },
  };
}

} // namespace

caf::actor spawn_driver(run_context& ctx, order_source* source,
                        expected_fn expected) {
  return ctx.rt->system().spawn(driver_actor, &ctx, source,
                                std::move(expected));
}

} // namespace execsim
