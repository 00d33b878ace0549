// The fault sites, FoundationDB style: every fault is injected at one named
// place on the path between executor and exchange, each site can be
// switched off, and every fault that fires is recorded.
//
//   site            where                          kinds
//   submit.send     a submit leaves the executor   outage, network_error,
//                                                  drop_request
//   submit.arrive   a submit reaches the exchange  reject
//   submit.answer   the exchange's answer leaves   drop_ack, delay_ack
//   check.send      a duplicate check leaves       outage
//   check.answer    the check's answer leaves      check_fail, check_drop
//
// A fault fires from the file's [[faults]] (matched by order and attempt) or,
// when exploring, from a seeded draw per message ([explore] chances).
#pragma once

#include "sim/scenario.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace execsim {

class run_log;
struct order_state;

enum class send_fate { deliver, drop, network_error };

struct answer_fate {
  bool drop = false;
  ns_t delay = 0;
};

enum class check_answer_fate { deliver, fail, drop };

class fault_plan {
public:
  /// `explore`: also draw random faults from the scenario's [explore].
  fault_plan(const scenario& sc, std::uint64_t seed, bool explore,
             run_log& log);

  send_fate on_submit_send(ns_t now, const order_state& o, int attempt);
  /// The reject code, if the exchange must reject this submit.
  std::optional<std::string> on_submit_arrive(ns_t now, const order_state& o,
                                              int attempt);
  answer_fate on_submit_answer(ns_t now, const order_state& o, int attempt);
  send_fate on_check_send(ns_t now, const order_state& o, int after_attempt);
  check_answer_fate on_check_answer(ns_t now, const order_state& o,
                                    int after_attempt);

  /// Switches a fault kind off (or on again) for the rest of the run.
  void set_enabled(fault_kind kind, bool on) noexcept {
    enabled_[static_cast<std::size_t>(kind)] = on;
  }

  /// Every fault that fired, as an explicit [[faults]] entry (random ones
  /// included), in firing order, without repeats. The shrinker's input;
  /// kept only when exploring.
  const std::vector<fault_spec>& fired() const noexcept {
    return fired_;
  }

private:
  bool enabled(fault_kind k) const noexcept {
    return enabled_[static_cast<std::size_t>(k)];
  }
  /// The first explicit fault of `kind` for this order and attempt.
  const fault_spec* match(fault_kind kind, const order_state& o,
                          int attempt) const noexcept;
  /// A seeded draw: does a random fault of `kind` hit this message?
  bool drawn(fault_kind kind, double p, const order_state& o, int attempt,
             std::uint64_t salt = 0) const noexcept;
  std::uint64_t word(fault_kind kind, const order_state& o, int attempt,
                     std::uint64_t salt) const noexcept;
  /// The outage window (explicit or drawn) that holds `now`, if any.
  std::optional<fault_spec> outage_at(ns_t now) const;
  void fire(ns_t now, fault_kind kind, const order_state* o,
            std::optional<int> attempt, std::string detail,
            const fault_spec& as_spec);

  const scenario& sc_;
  std::uint64_t seed_;
  bool explore_;
  bool collect_fired_;
  run_log& log_;
  std::array<bool, 8> enabled_;
  std::array<std::vector<const fault_spec*>, 8> by_kind_;
  /// Outages drawn while exploring (explicit ones are in by_kind_).
  std::vector<fault_spec> random_outages_;
  std::vector<fault_spec> fired_;
};

} // namespace execsim
