#include "sim/network.hpp"

#include "sim/fault_plan.hpp"
#include "sim/rng.hpp"
#include "sim/run_context.hpp"

#include <caf/event_based_actor.hpp>

#include "sim/assert.hpp"
#include <chrono>

namespace execsim {

namespace {

std::chrono::nanoseconds span(ns_t ns) {
  return std::chrono::nanoseconds{ns};
}

// Zero latency goes out as a plain send: same order, no timer.
template <class Msg>
void post(caf::event_based_actor* from, const caf::actor& to, ns_t delay,
          Msg&& msg) {
  if (delay == 0)
    from->send(to, std::forward<Msg>(msg));
  else
    from->delayed_send(to, span(delay), std::forward<Msg>(msg));
}

} // namespace

ns_t network::latency(const order_state& o, int attempt, leg way) const
  noexcept {
  const auto& l = ctx_.sc->exchange.latency;
  if (l.min == l.max)
    return l.min;
  return between(draw(ctx_.seed, rng_stream::latency, o.id_hash,
                      static_cast<std::uint64_t>(attempt),
                      static_cast<std::uint64_t>(way)),
                 l.min, l.max);
}

void network::send_submit(caf::event_based_actor* from, submit_msg msg) {
  auto& o = ctx_.orders->at(msg.order);
  auto now = ctx_.now();
  switch (ctx_.faults->on_submit_send(now, o, msg.attempt)) {
    case send_fate::drop:
      return;
    case send_fate::network_error: {
      submit_answer a;
      a.order = msg.order;
      a.attempt = msg.attempt;
      a.status = submit_status::network_error;
      a.error_code = "NETWORK_ERROR";
      ++o.in_flight;
      from->send(caf::actor_cast<caf::actor>(from), std::move(a));
      return;
    }
    case send_fate::deliver:
      break;
  }
  ++o.in_flight;
  post(from, ctx_.exchange, latency(o, msg.attempt, leg::submit_out),
       std::move(msg));
}

void network::send_check(caf::event_based_actor* from, check_msg msg) {
  auto& o = ctx_.orders->at(msg.order);
  auto now = ctx_.now();
  ++o.in_flight;
  if (ctx_.faults->on_check_send(now, o, msg.after_attempt)
      == send_fate::network_error) {
    check_answer a;
    a.order = msg.order;
    a.after_attempt = msg.after_attempt;
    a.status = check_status::network_error;
    from->send(caf::actor_cast<caf::actor>(from), std::move(a));
    return;
  }
  post(from, ctx_.exchange, latency(o, msg.after_attempt, leg::check_out),
       std::move(msg));
}

void network::send_submit_answer(caf::event_based_actor* exchange,
                                 const caf::actor& to, submit_answer answer) {
  auto& o = ctx_.orders->at(answer.order);
  auto fate = ctx_.faults->on_submit_answer(ctx_.now(), o, answer.attempt);
  if (fate.drop)
    return;
  ++o.in_flight;
  post(exchange, to,
       latency(o, answer.attempt, leg::submit_back) + fate.delay,
       std::move(answer));
}

void network::send_check_answer(caf::event_based_actor* exchange,
                                const caf::actor& to, check_answer answer) {
  auto& o = ctx_.orders->at(answer.order);
  switch (ctx_.faults->on_check_answer(ctx_.now(), o, answer.after_attempt)) {
    case check_answer_fate::drop:
      return;
    case check_answer_fate::fail:
      answer.status = check_status::failed;
      answer.exchange_order = 0;
      answer.fill_price.reset();
      break;
    case check_answer_fate::deliver:
      break;
  }
  ++o.in_flight;
  post(exchange, to, latency(o, answer.after_attempt, leg::check_back),
       std::move(answer));
}

void network::delivered(order_ix order) noexcept {
  auto& o = ctx_.orders->at(order);
  EXECSIM_ASSERT(o.in_flight > 0);
  --o.in_flight;
}

} // namespace execsim
