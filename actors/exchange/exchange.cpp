#include "actors/exchange/exchange.hpp"

#include "actors/exchange/exchange_book.hpp"
#include "actors/exchange/rate_limiter.hpp"
#include "sim/messages.hpp"
#include "sim/fault_plan.hpp"
#include "sim/network.hpp"
#include "sim/run_context.hpp"
#include "sim/trace.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <fmt/format.h>

#include <memory>

namespace execsim {

namespace {

/// A submit that reached the exchange and passed its rate limit.
void take_submit(caf::event_based_actor* self, run_context* ctx,
                 const submit_msg& m, const caf::actor& reply_to) {
  auto& o = ctx->orders->at(m.order);
  auto now = ctx->now();
  auto fate = ctx->faults->at(fault_site::submit_arrive, now, o, m.attempt);
  if (fate.reject_code) {
    ctx->net->send_submit_answer(
      self, reply_to, rejected_answer(m, std::move(*fate.reject_code)));
    return;
  }
  ctx->net->send_submit_answer(self, reply_to,
                               ctx->book->submit(now, m, o.spec));
}

caf::behavior exchange_actor(caf::event_based_actor* self, run_context* ctx) {
  // The gateway in front of everything: a request over the rate limit is
  // answered at once, reaching neither the book nor the reject fault.
  auto limiter = std::make_shared<rate_limiter>(ctx->sc->exchange.rate_limit);
  return {
    [=](const submit_msg& m) {
      ctx->net->delivered(m.order);
      auto& o = ctx->orders->at(m.order);
      ctx->tr->add(ctx->now(), "executor/" + o.spec.id, "exchange",
                   fmt::format("submit attempt={} key={}", m.attempt,
                               m.idem_key));
      ++o.submits_reached;
      auto reply_to = caf::actor_cast<caf::actor>(self->current_sender());
      if (auto wait = limiter->admit(ctx->now())) {
        auto a = rejected_answer(m, limiter->code());
        a.retry_after = *wait;
        ctx->net->send_submit_answer(self, reply_to, std::move(a));
        return;
      }
      take_submit(self, ctx, m, reply_to);
    },
    [=](const check_msg& m) {
      ctx->net->delivered(m.order);
      const auto& o = ctx->orders->at(m.order);
      if (m.query > 0)
        ctx->tr->add(ctx->now(), "reconciler", "exchange",
                     fmt::format("query {} order={} key={}", m.query,
                                 o.spec.id, m.idem_key));
      else
        ctx->tr->add(ctx->now(), "executor/" + o.spec.id, "exchange",
                     fmt::format("check after_attempt={} key={}",
                                 m.after_attempt, m.idem_key));
      auto reply_to = caf::actor_cast<caf::actor>(self->current_sender());
      if (auto wait = limiter->admit(ctx->now())) {
        check_answer a;
        a.order = m.order;
        a.after_attempt = m.after_attempt;
        a.status = check_status::failed;
        a.retry_after = *wait;
        a.query = m.query;
        ctx->net->send_check_answer(self, reply_to, std::move(a));
        return;
      }
      auto answer = ctx->book->check(ctx->now(), m);
      answer.query = m.query;
      ctx->net->send_check_answer(self, reply_to, std::move(answer));
    },
  };
}

} // namespace

caf::actor spawn_exchange(run_context& ctx) {
  return ctx.rt->system().spawn(exchange_actor, &ctx);
}

} // namespace execsim
