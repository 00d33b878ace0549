#include "sim/fault_plan.hpp"

#include "sim/order_state.hpp"
#include "sim/rng.hpp"
#include "sim/run_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include "sim/assert.hpp"

namespace execsim {

fault_plan::fault_plan(const scenario& sc, std::uint64_t seed, bool explore,
                       run_log& log)
  : sc_(sc),
    seed_(seed),
    explore_(explore && sc.explore.present),
    collect_fired_(explore),
    log_(log) {
  enabled_.fill(true);
  for (const auto& f : sc.faults)
    by_kind_[static_cast<std::size_t>(f.kind)].push_back(&f);
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

std::uint64_t fault_plan::word(fault_kind kind, const order_state& o,
                               int attempt, std::uint64_t salt) const
  noexcept {
  return draw(seed_, rng_stream::explore, o.id_hash,
              static_cast<std::uint64_t>(attempt),
              static_cast<std::uint64_t>(kind) * 16 + salt);
}

bool fault_plan::drawn(fault_kind kind, double p, const order_state& o,
                       int attempt, std::uint64_t salt) const noexcept {
  if (!explore_ || p <= 0)
    return false;
  return unit_interval(word(kind, o, attempt, salt)) < p;
}

std::optional<fault_spec> fault_plan::outage_at(ns_t now) const {
  auto holds = [now](const fault_spec& f) {
    return now >= f.from && now < f.until;
  };
  for (const auto* f : by_kind_[static_cast<std::size_t>(fault_kind::outage)])
    if (holds(*f))
      return *f;
  for (const auto& f : random_outages_)
    if (holds(f))
      return f;
  return std::nullopt;
}

void fault_plan::fire(ns_t now, fault_kind kind, const order_state* o,
                      std::optional<int> attempt, std::string detail,
                      const fault_spec& as_spec) {
  log_.fault(now, kind, o, attempt, std::move(detail));
  // Only exploration shrinks; a long run must not keep (or search) a list
  // that grows with every fault.
  if (!collect_fired_)
    return;
  auto same = [&](const fault_spec& f) {
    return f.kind == as_spec.kind && f.order == as_spec.order
           && f.attempt == as_spec.attempt && f.delay == as_spec.delay
           && f.code == as_spec.code && f.from == as_spec.from
           && f.until == as_spec.until;
  };
  if (std::none_of(fired_.begin(), fired_.end(), same))
    fired_.push_back(as_spec);
}

namespace {

fault_spec spec_of(fault_kind kind, const order_state& o, int attempt) {
  fault_spec f;
  f.kind = kind;
  f.order = o.spec.id;
  f.attempt = attempt;
  return f;
}

} // namespace

send_fate fault_plan::on_submit_send(ns_t now, const order_state& o,
                                     int attempt) {
  const auto& ex = sc_.explore;
  if (enabled(fault_kind::outage)) {
    if (auto w = outage_at(now)) {
      fire(now, fault_kind::outage, &o, attempt, "submit", *w);
      return send_fate::network_error;
    }
    if (drawn(fault_kind::outage, ex.outage, o, attempt)) {
      auto len = between(word(fault_kind::outage, o, attempt, 1), 1,
                         ex.outage_max);
      fault_spec f;
      f.kind = fault_kind::outage;
      f.from = now;
      f.until = now + len;
      random_outages_.push_back(f);
      fire(now, fault_kind::outage, &o, attempt,
           fmt::format("submit; window {}..{}", f.from, f.until), f);
      return send_fate::network_error;
    }
  }
  if (enabled(fault_kind::network_error)) {
    if (const auto* f = match(fault_kind::network_error, o, attempt)) {
      fire(now, fault_kind::network_error, &o, attempt, "", *f);
      return send_fate::network_error;
    }
    if (drawn(fault_kind::network_error, ex.network_error, o, attempt)) {
      fire(now, fault_kind::network_error, &o, attempt, "",
           spec_of(fault_kind::network_error, o, attempt));
      return send_fate::network_error;
    }
  }
  if (enabled(fault_kind::drop_request)) {
    if (const auto* f = match(fault_kind::drop_request, o, attempt)) {
      fire(now, fault_kind::drop_request, &o, attempt, "", *f);
      return send_fate::drop;
    }
    if (drawn(fault_kind::drop_request, ex.drop_request, o, attempt)) {
      fire(now, fault_kind::drop_request, &o, attempt, "",
           spec_of(fault_kind::drop_request, o, attempt));
      return send_fate::drop;
    }
  }
  return send_fate::deliver;
}

std::optional<std::string>
fault_plan::on_submit_arrive(ns_t now, const order_state& o, int attempt) {
  if (!enabled(fault_kind::reject))
    return std::nullopt;
  if (const auto* f = match(fault_kind::reject, o, attempt)) {
    fire(now, fault_kind::reject, &o, attempt, "code=" + f->code, *f);
    return f->code;
  }
  const auto& ex = sc_.explore;
  if (!ex.reject_codes.empty() && drawn(fault_kind::reject, ex.reject, o, attempt)) {
    auto pick = below(word(fault_kind::reject, o, attempt, 1),
                      ex.reject_codes.size());
    auto f = spec_of(fault_kind::reject, o, attempt);
    f.code = ex.reject_codes[pick];
    fire(now, fault_kind::reject, &o, attempt, "code=" + f.code, f);
    return f.code;
  }
  return std::nullopt;
}

answer_fate fault_plan::on_submit_answer(ns_t now, const order_state& o,
                                         int attempt) {
  const auto& ex = sc_.explore;
  if (enabled(fault_kind::drop_ack)) {
    if (const auto* f = match(fault_kind::drop_ack, o, attempt)) {
      fire(now, fault_kind::drop_ack, &o, attempt, "", *f);
      return {true, 0};
    }
    if (drawn(fault_kind::drop_ack, ex.drop_ack, o, attempt)) {
      fire(now, fault_kind::drop_ack, &o, attempt, "",
           spec_of(fault_kind::drop_ack, o, attempt));
      return {true, 0};
    }
  }
  if (enabled(fault_kind::delay_ack)) {
    if (const auto* f = match(fault_kind::delay_ack, o, attempt)) {
      fire(now, fault_kind::delay_ack, &o, attempt,
           "delay=" + format_duration(f->delay), *f);
      return {false, f->delay};
    }
    if (drawn(fault_kind::delay_ack, ex.delay_ack, o, attempt)) {
      auto f = spec_of(fault_kind::delay_ack, o, attempt);
      f.delay = between(word(fault_kind::delay_ack, o, attempt, 1), 1,
                        ex.delay_ack_max);
      fire(now, fault_kind::delay_ack, &o, attempt,
           "delay=" + format_duration(f.delay), f);
      return {false, f.delay};
    }
  }
  return {};
}

send_fate fault_plan::on_check_send(ns_t now, const order_state& o,
                                    int after_attempt) {
  if (!enabled(fault_kind::outage))
    return send_fate::deliver;
  auto w = outage_at(now);
  if (!w)
    return send_fate::deliver;
  fire(now, fault_kind::outage, &o, after_attempt, "check", *w);
  return send_fate::network_error;
}

check_answer_fate fault_plan::on_check_answer(ns_t now, const order_state& o,
                                              int after_attempt) {
  const auto& ex = sc_.explore;
  if (enabled(fault_kind::check_fail)) {
    if (const auto* f = match(fault_kind::check_fail, o, after_attempt)) {
      fire(now, fault_kind::check_fail, &o, after_attempt, "", *f);
      return check_answer_fate::fail;
    }
    if (drawn(fault_kind::check_fail, ex.check_fail, o, after_attempt)) {
      fire(now, fault_kind::check_fail, &o, after_attempt, "",
           spec_of(fault_kind::check_fail, o, after_attempt));
      return check_answer_fate::fail;
    }
  }
  if (enabled(fault_kind::check_drop)) {
    if (const auto* f = match(fault_kind::check_drop, o, after_attempt)) {
      fire(now, fault_kind::check_drop, &o, after_attempt, "", *f);
      return check_answer_fate::drop;
    }
    if (drawn(fault_kind::check_drop, ex.check_drop, o, after_attempt)) {
      fire(now, fault_kind::check_drop, &o, after_attempt, "",
           spec_of(fault_kind::check_drop, o, after_attempt));
      return check_answer_fate::drop;
    }
  }
  return check_answer_fate::deliver;
}

} // namespace execsim
