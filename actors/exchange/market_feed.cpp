#include "actors/exchange/market_feed.hpp"

#include "actors/exchange/quote_book.hpp"
#include "sim/run_context.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>

namespace execsim {

namespace {

struct feed_state {
  // At most one tick is on its way; it schedules the next one.
  bool ticking = false;
};

caf::behavior market_feed_actor(caf::stateful_actor<feed_state>* self,
                                run_context* ctx, quote_book* book) {
  auto follow = [=] {
    if (!ctx->fatal_error.empty())
      return; // the run is stopping: do not replay the rest of the market
    auto now = ctx->now();
    book->advance_to(now);
    auto next = book->next_quote_at();
    if (book->resting() == 0 || !next)
      return; // nothing waits for a quote, or no quote is left
    self->state.ticking = true;
    self->delayed_send(self, std::chrono::nanoseconds{*next - now},
                       market_tick_msg{});
  };
  return {
    [=](market_wake_msg) {
      if (!self->state.ticking)
        follow();
    },
    [=](market_tick_msg) {
      self->state.ticking = false;
      follow();
    },
  };
}

} // namespace

caf::actor spawn_market_feed(run_context& ctx, quote_book& book) {
  return ctx.rt->system().spawn(market_feed_actor, &ctx, &book);
}

} // namespace execsim
