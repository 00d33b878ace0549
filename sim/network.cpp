#include "sim/network.hpp"

#include "sim/fault_plan.hpp"
#include "sim/run_context.hpp"

#include <caf/event_based_actor.hpp>

#include "sim/assert.hpp"
#include <chrono>
#include <cstdint>

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

/// A message of `o` goes on the wire: counted until its receiver takes it.
void put_on_wire(order_state& o) noexcept {
  EXECSIM_ASSERT(o.in_flight < UINT32_MAX);
  ++o.in_flight;
}

} // namespace

ns_t network::latency(const order_state& o, int attempt, leg way) const
  noexcept {
  return message_latency(ctx_.sc->exchange, ctx_.seed, o.id_hash, attempt,
                         way);
}

void network::send_submit(caf::event_based_actor* from, submit_msg msg) {
  // Only a running order's executor sends.
  EXECSIM_ASSERT(!ctx_.orders->is_released(msg.order));
  EXECSIM_ASSERT(msg.attempt >= 1);
  auto& o = ctx_.orders->at(msg.order);
  auto now = ctx_.now();
  switch (ctx_.faults->at(fault_site::submit_send, now, o, msg.attempt).ends) {
    case fault_effect::end::lost:
      return;
    case fault_effect::end::network_error: {
      submit_answer a;
      a.order = msg.order;
      a.attempt = msg.attempt;
      a.status = submit_status::network_error;
      a.error_code = "NETWORK_ERROR";
      put_on_wire(o);
      from->send(caf::actor_cast<caf::actor>(from), std::move(a));
      return;
    }
    case fault_effect::end::none:
      break;
  }
  put_on_wire(o);
  post(from, ctx_.exchange, latency(o, msg.attempt, leg::submit_out),
       std::move(msg));
}

void network::send_check(caf::event_based_actor* from, check_msg msg) {
  EXECSIM_ASSERT(!ctx_.orders->is_released(msg.order));
  EXECSIM_ASSERT(msg.after_attempt >= 0); // 0: a poll before attempt 1
  auto& o = ctx_.orders->at(msg.order);
  auto now = ctx_.now();
  put_on_wire(o);
  auto fate = ctx_.faults->at(fault_site::check_send, now, o,
                              msg.after_attempt);
  if (fate.ends == fault_effect::end::network_error) {
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

void network::send_query(caf::event_based_actor* from, check_msg msg) {
  // The reconciler holds the order (not released) until it is done.
  EXECSIM_ASSERT(!ctx_.orders->is_released(msg.order));
  EXECSIM_ASSERT(msg.query >= 1);
  auto& o = ctx_.orders->at(msg.order);
  put_on_wire(o);
  auto fate = ctx_.faults->at(fault_site::reconcile_send, ctx_.now(), o,
                              msg.query);
  if (fate.ends == fault_effect::end::network_error) {
    check_answer a;
    a.order = msg.order;
    a.after_attempt = msg.after_attempt;
    a.query = msg.query;
    a.status = check_status::network_error;
    from->send(caf::actor_cast<caf::actor>(from), std::move(a));
    return;
  }
  post(from, ctx_.exchange, latency(o, msg.query, leg::reconcile_out),
       std::move(msg));
}

void network::send_submit_answer(caf::event_based_actor* exchange,
                                 const caf::actor& to, submit_answer answer) {
  // The submit was in flight until the exchange took it: not released.
  EXECSIM_ASSERT(!ctx_.orders->is_released(answer.order));
  auto& o = ctx_.orders->at(answer.order);
  auto fate = ctx_.faults->at(fault_site::submit_answer, ctx_.now(), o,
                              answer.attempt);
  if (fate.ends == fault_effect::end::lost)
    return;
  put_on_wire(o);
  post(exchange, to,
       latency(o, answer.attempt, leg::submit_back) + fate.delay,
       std::move(answer));
}

void network::send_check_answer(caf::event_based_actor* exchange,
                                const caf::actor& to, check_answer answer) {
  EXECSIM_ASSERT(!ctx_.orders->is_released(answer.order));
  auto& o = ctx_.orders->at(answer.order);
  if (answer.query > 0) { // a reconciler's query: no answer fault hits it
    put_on_wire(o);
    post(exchange, to, latency(o, answer.query, leg::reconcile_back),
         std::move(answer));
    return;
  }
  auto fate = ctx_.faults->at(fault_site::check_answer, ctx_.now(), o,
                              answer.after_attempt);
  // A lost answer is lost whatever it says (check_fail with check_drop).
  if (fate.ends == fault_effect::end::lost)
    return;
  if (fate.error_answer) {
    answer.status = check_status::failed;
    answer.exchange_order = 0;
    answer.fill_price.reset();
  }
  put_on_wire(o);
  post(exchange, to,
       latency(o, answer.after_attempt, leg::check_back) + fate.delay,
       std::move(answer));
}

void network::delivered(order_ix order) noexcept {
  EXECSIM_ASSERT(!ctx_.orders->is_released(order));
  auto& o = ctx_.orders->at(order);
  EXECSIM_ASSERT(o.in_flight > 0);
  --o.in_flight;
}

} // namespace execsim
