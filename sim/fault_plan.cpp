#include "sim/fault_plan.hpp"

#include "sim/assert.hpp"
#include "sim/boundary_target.hpp"
#include "sim/latency_model.hpp"
#include "sim/order_state.hpp"
#include "sim/rng.hpp"
#include "sim/run_log.hpp"
#include "sim/swarm.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace execsim {

namespace {

/// One step of a message's path: a fault kind at its site. Sites in path
/// order, kinds of one site in the order they apply.
struct fault_step {
  fault_site site;
  fault_kind kind;
};

constexpr std::array<fault_step, 11> fault_path = {{
  {fault_site::submit_send, fault_kind::outage},
  {fault_site::submit_send, fault_kind::network_error},
  {fault_site::submit_send, fault_kind::drop_request},
  {fault_site::submit_arrive, fault_kind::reject},
  {fault_site::submit_answer, fault_kind::drop_ack},
  {fault_site::submit_answer, fault_kind::delay_ack},
  {fault_site::check_send, fault_kind::outage},
  {fault_site::check_answer, fault_kind::check_fail},
  {fault_site::check_answer, fault_kind::check_drop},
  {fault_site::check_answer, fault_kind::delay_check},
  {fault_site::reconcile_send, fault_kind::outage},
}};

/// What a fault of `f.kind` does to the message passing its site.
void apply(const fault_spec& f, fault_effect& e) {
  switch (f.kind) {
    case fault_kind::outage:
    case fault_kind::network_error:
      e.ends = fault_effect::end::network_error;
      return;
    case fault_kind::drop_request:
    case fault_kind::drop_ack:
    case fault_kind::check_drop:
      e.ends = fault_effect::end::lost;
      return;
    case fault_kind::reject:
      e.reject_code = f.code;
      return;
    case fault_kind::delay_ack:
    case fault_kind::delay_check:
      e.delay += f.delay;
      return;
    case fault_kind::check_fail:
      e.error_answer = true;
      return;
  }
}

} // namespace

fault_plan::fault_plan(const scenario& sc, std::uint64_t seed, bool explore,
                       run_log& log)
  : sc_(sc),
    seed_(seed),
    explore_(explore && sc.explore.present),
    collect_fired_(explore),
    log_(log),
    order_starts_(explore_ && sc.explore.boundary > 0 ? sorted_starts(sc.orders)
                                                      : std::vector<ns_t>{}) {
  for (const auto& f : sc.faults)
    by_kind_[static_cast<std::size_t>(f.kind)].push_back(&f);
  off_.fill(true);
  if (explore_ && sc.explore.swarm) {
    auto on = swarm_kinds(sc.explore, seed);
    for (auto kind : on)
      off_[static_cast<std::size_t>(kind)] = false;
    if (!on.empty()) {
      auto ratio = static_cast<double>(configured_kinds(sc.explore).size())
                   / static_cast<double>(on.size());
      swarm_scale_ = ratio * ratio;
    }
  } else {
    off_.fill(false);
  }
}

fault_effect fault_plan::at(fault_site site, ns_t now, const order_state& o,
                            int attempt) {
  fault_effect e;
  for (const auto& step : fault_path) {
    if (step.site != site)
      continue;
    const auto* f = hit(step.kind, site, now, o, attempt);
    if (f == nullptr)
      continue;
    EXECSIM_ASSERT(f->kind == step.kind);
    fire(now, o, attempt, site, *f);
    apply(*f, e);
    if (e.ends != fault_effect::end::none)
      break; // nothing after this step on the path happens
  }
  // Each effect belongs to its site: only a send fails at once, only the
  // exchange rejects, only an answer is delayed or turned into an error.
  using end = fault_effect::end;
  bool sending = site == fault_site::submit_send || site == fault_site::check_send
                 || site == fault_site::reconcile_send;
  EXECSIM_ASSERT(e.ends != end::network_error || sending);
  EXECSIM_ASSERT(e.ends != end::lost || site == fault_site::submit_send
                 || site == fault_site::submit_answer
                 || site == fault_site::check_answer);
  EXECSIM_ASSERT(!e.reject_code || site == fault_site::submit_arrive);
  EXECSIM_ASSERT(e.delay == 0 || site == fault_site::submit_answer
                 || site == fault_site::check_answer);
  EXECSIM_ASSERT(!e.error_answer || site == fault_site::check_answer);
  return e;
}

const fault_spec* fault_plan::hit(fault_kind kind, fault_site site, ns_t now,
                                  const order_state& o, int attempt) {
  if (kind == fault_kind::outage) {
    if (const auto* w = outage_at(now))
      return w;
    // A submit may start a random outage; a check only meets one.
    if (site != fault_site::submit_send)
      return nullptr;
  } else if (const auto* f = match(kind, o, attempt)) {
    return f;
  }
  return draw_random(kind, now, o, attempt);
}

const fault_spec* fault_plan::match(fault_kind kind, const order_state& o,
                                    int attempt) const noexcept {
  for (const auto* f : by_kind_[static_cast<std::size_t>(kind)]) {
    if (f->order && *f->order != o.spec.id)
      continue;
    if (f->attempt && *f->attempt != attempt)
      continue;
    return f;
  }
  return nullptr;
}

const fault_spec* fault_plan::draw_random(fault_kind kind, ns_t now,
                                          const order_state& o, int attempt) {
  const auto& ex = sc_.explore;
  if (off_[static_cast<std::size_t>(kind)]
      || !drawn(kind, std::min(1.0, swarm_scale_ * explore_chance(ex, kind)),
                o, attempt))
    return nullptr;
  drawn_ = fault_spec{};
  drawn_.kind = kind;
  drawn_edge_.reset();
  auto param = word(kind, o, attempt, 1);
  if (kind == fault_kind::outage) {
    drawn_.from = now;
    drawn_.until = now + between(param, 1, ex.outage_max);
    target_outage_end(now, o, attempt);
    random_outages_.push_back(drawn_);
    return &drawn_;
  }
  drawn_.order = o.spec.id;
  drawn_.attempt = attempt;
  if (kind == fault_kind::delay_ack) {
    drawn_.delay = between(param, 1, ex.delay_ack_max);
    target_ack_arrival(now, o, attempt);
  }
  if (kind == fault_kind::delay_check) {
    drawn_.delay = between(param, 1, ex.delay_check_max);
    target_check_arrival(now, o, attempt);
  }
  if (kind == fault_kind::reject)
    drawn_.code = ex.reject_codes[below(param, ex.reject_codes.size())];
  return &drawn_;
}

void fault_plan::target_ack_arrival(ns_t now, const order_state& o,
                                    int attempt) {
  auto offset = boundary_draw(sc_.explore.boundary, seed_, o.id_hash, attempt,
                              fault_kind::delay_ack);
  if (!offset)
    return;
  // The executor's timeout runs from the attempt's send; the answer leaves
  // the exchange now and travels the submit_back latency plus the delay.
  EXECSIM_ASSERT(attempt >= 1
                 && static_cast<std::size_t>(attempt) <= o.attempts.size());
  auto deadline = o.attempts[static_cast<std::size_t>(attempt) - 1].sent_at
                  + sc_.executor.submit_timeout;
  auto back = message_latency(sc_.exchange, seed_, o.id_hash, attempt,
                              leg::submit_back);
  if (auto d = delay_landing_at(now, back, deadline + *offset,
                                sc_.explore.delay_ack_max)) {
    drawn_.delay = *d;
    drawn_edge_ = *offset;
  }
}

void fault_plan::target_check_arrival(ns_t now, const order_state& o,
                                      int attempt) {
  auto offset = boundary_draw(sc_.explore.boundary, seed_, o.id_hash, attempt,
                              fault_kind::delay_check);
  if (!offset)
    return;
  // The check's timer runs from its send: the newest check after this
  // attempt is the one the exchange answers now (as the executor actor
  // matches answers to checks).
  const check_obs* sent = nullptr;
  for (auto i = o.checks.rbegin(); i != o.checks.rend() && !sent; ++i)
    if (i->after_attempt == attempt)
      sent = &*i;
  if (sent == nullptr)
    return;
  auto deadline = sent->sent_at + sc_.executor.check_timeout;
  auto back = message_latency(sc_.exchange, seed_, o.id_hash, attempt,
                              leg::check_back);
  if (auto d = delay_landing_at(now, back, deadline + *offset,
                                sc_.explore.delay_check_max)) {
    drawn_.delay = *d;
    drawn_edge_ = *offset;
  }
}

void fault_plan::target_outage_end(ns_t now, const order_state& o,
                                   int attempt) {
  auto offset = boundary_draw(sc_.explore.boundary, seed_, o.id_hash, attempt,
                              fault_kind::outage);
  if (!offset)
    return;
  if (auto until = outage_end_at_start(order_starts_, now, *offset,
                                       sc_.explore.outage_max)) {
    drawn_.until = *until;
    drawn_edge_ = *offset;
  }
}

std::uint64_t fault_plan::word(fault_kind kind, const order_state& o,
                               int attempt, std::uint64_t salt) const
  noexcept {
  // delay_check came later: its own stream keeps every older draw as it was.
  auto stream = kind == fault_kind::delay_check ? rng_stream::delay_check
                                                : rng_stream::explore;
  return draw(seed_, stream, o.id_hash,
              static_cast<std::uint64_t>(attempt),
              static_cast<std::uint64_t>(kind) * 16 + salt);
}

bool fault_plan::drawn(fault_kind kind, double p, const order_state& o,
                       int attempt, std::uint64_t salt) const noexcept {
  if (!explore_ || p <= 0)
    return false;
  return unit_interval(word(kind, o, attempt, salt)) < p;
}

const fault_spec* fault_plan::outage_at(ns_t now) const noexcept {
  auto holds = [now](const fault_spec& f) {
    return now >= f.from && now < f.until;
  };
  for (const auto* f : by_kind_[static_cast<std::size_t>(fault_kind::outage)])
    if (holds(*f))
      return f;
  for (const auto& f : random_outages_)
    if (holds(f))
      return &f;
  return nullptr;
}

ns_t fault_plan::last_outage_end() const noexcept {
  ns_t end = 0;
  for (const auto* f : by_kind_[static_cast<std::size_t>(fault_kind::outage)])
    end = std::max(end, f->until);
  for (const auto& f : random_outages_)
    end = std::max(end, f.until);
  return end;
}

void fault_plan::fire(ns_t now, const order_state& o, int attempt,
                      fault_site site, const fault_spec& f) {
  std::string detail;
  switch (f.kind) {
    case fault_kind::outage:
      detail = site == fault_site::submit_send    ? "submit"
               : site == fault_site::check_send ? "check"
                                                : fmt::format("query {}", attempt);
      if (&f == &drawn_) // a window this submit opened
        detail += fmt::format("; window {}..{}", f.from, f.until);
      break;
    case fault_kind::reject: detail = "code=" + f.code; break;
    case fault_kind::delay_ack:
    case fault_kind::delay_check:
      detail = "delay=" + format_duration(f.delay);
      break;
    default: break;
  }
  if (&f == &drawn_ && drawn_edge_)
    detail += "; boundary: "
              + edge_text(*drawn_edge_,
                          f.kind == fault_kind::outage ? "the next order's start"
                          : f.kind == fault_kind::delay_check ? "check_timeout"
                                                              : "submit_timeout");
  // A query is numbered in `detail`: its number is not an attempt.
  log_.fault(now, f.kind, &o,
             site == fault_site::reconcile_send ? std::nullopt
                                                : std::optional<int>{attempt},
             std::move(detail));
  if (f.kind == fault_kind::outage && site == fault_site::submit_send)
    log_.submit_outage(o, attempt);
  // Only exploration shrinks; a long run must not keep (or search) a list
  // that grows with every fault.
  if (!collect_fired_)
    return;
  auto same = [&](const fault_spec& g) {
    return g.kind == f.kind && g.order == f.order && g.attempt == f.attempt
           && g.delay == f.delay && g.code == f.code && g.from == f.from
           && g.until == f.until;
  };
  if (std::none_of(fired_.begin(), fired_.end(), same))
    fired_.push_back(f);
}

} // namespace execsim
