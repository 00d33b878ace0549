#include "actors/reconciler.hpp"

#include "sim/json_text.hpp"
#include "sim/messages.hpp"
#include "sim/network.hpp"
#include "sim/order_table.hpp"
#include "sim/reconciliation.hpp"
#include "sim/run_context.hpp"
#include "sim/trace.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <fmt/format.h>

#include "sim/assert.hpp"

#include <chrono>

namespace execsim {

namespace {

void trace(run_context& ctx, std::string_view from, std::string_view what) {
  ctx.tr->add(ctx.now(), from, "reconciler", what);
}

/// Asks again in `delay` (0: at once, no timer).
void schedule(caf::event_based_actor* self, ns_t delay, order_ix order) {
  if (delay == 0)
    self->send(self, reconcile_timer_msg{order});
  else
    self->delayed_send(self, std::chrono::nanoseconds{delay},
                       reconcile_timer_msg{order});
}

void send_query(caf::event_based_actor* self, run_context& ctx,
                reconciliation& r) {
  const auto& o = ctx.orders->at(r.order);
  EXECSIM_ASSERT(o.held && !r.outcome);
  ++r.queries;
  r.query_sent_at = ctx.now();
  check_msg m;
  m.order = r.order;
  m.after_attempt = static_cast<int>(o.attempts.size());
  m.idem_key = r.idem_key;
  m.query = r.queries;
  ctx.net->send_query(self, std::move(m));
}

std::string payload(const reconciliation& r) {
  std::string out = "{\"order_id\":";
  append_json_string(out, r.order_id);
  out += fmt::format(",\"outcome\":\"{}\"", to_string(*r.outcome));
  if (r.exchange_order != 0)
    out += fmt::format(",\"exchange_order_id\":\"{}\"",
                       exchange_order_name(r.exchange_order));
  if (r.fill_price)
    out += fmt::format(",\"fill_price\":\"{}\"", r.fill_price->to_string());
  out += fmt::format(",\"queries\":{}}}", r.queries);
  return out;
}

/// The outcome is known: publish it and let the order go.
void conclude(caf::event_based_actor* self, run_context& ctx,
              reconciliation& r, reconcile_outcome outcome) {
  r.outcome = outcome;
  r.ended_at = ctx.now();
  auto& o = ctx.orders->at(r.order);
  o.events.push_back(event_channel::reconciled);
  self->send(ctx.bus, event_msg{ctx.next_seq++, ctx.now(),
                                event_channel::reconciled, r.order, r.order_id,
                                payload(r)});
  o.held = false;
  EXECSIM_ASSERT(o.executor != nullptr); // held orders keep their executor
  self->send(o.executor, reconcile_done_msg{});
}

std::string answer_text(const check_answer& a, const std::string& order_id) {
  auto head = fmt::format("query_answer {} order={} ", a.query, order_id);
  if (a.status == check_status::found)
    return head + "found " + exchange_order_name(a.exchange_order);
  return head + to_string(a.status);
}

void on_answer(caf::event_based_actor* self, run_context& ctx,
               const check_answer& a) {
  ctx.net->delivered(a.order);
  auto* r = ctx.reconciliations->find(a.order);
  EXECSIM_ASSERT(r != nullptr && a.query == r->queries && !r->outcome);
  trace(ctx, a.status == check_status::network_error ? "network" : "exchange",
        answer_text(a, r->order_id));
  const auto& cfg = ctx.sc->reconciler;
  switch (judge_answer(cfg, *r, a, r->query_sent_at)) {
    case reconcile_step::found:
      r->exchange_order = a.exchange_order;
      r->fill_price = a.fill_price;
      conclude(self, ctx, *r, reconcile_outcome::found);
      return;
    case reconcile_step::ruled_out:
      conclude(self, ctx, *r, reconcile_outcome::not_found);
      return;
    case reconcile_step::give_up:
      conclude(self, ctx, *r, reconcile_outcome::gave_up);
      return;
    case reconcile_step::again:
      schedule(self, cfg.interval, a.order);
      return;
  }
}

caf::behavior reconciler_actor(caf::event_based_actor* self,
                               run_context* ctx) {
  EXECSIM_ASSERT(ctx->reconciliations != nullptr);
  return {
    [=](const event_msg& e) {
      trace(*ctx, "bus", fmt::format("event seq={}", e.seq));
      if (e.channel != event_channel::execution_failed)
        return;
      // Opened with the result when it is STATUS_UNKNOWN; others are no
      // business of the reconciler.
      auto* r = ctx->reconciliations->find(e.order);
      if (r == nullptr || r->started)
        return;
      r->started = true;
      schedule(self, ctx->sc->reconciler.after, e.order);
    },
    [=](const reconcile_timer_msg& t) {
      auto* r = ctx->reconciliations->find(t.order);
      EXECSIM_ASSERT(r != nullptr);
      send_query(self, *ctx, *r);
    },
    [=](const check_answer& a) { on_answer(self, *ctx, a); },
  };
}

} // namespace

caf::actor spawn_reconciler(run_context& ctx) {
  return ctx.rt->system().spawn(reconciler_actor, &ctx);
}

} // namespace execsim
