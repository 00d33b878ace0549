// The fault sites, FoundationDB style: every fault is injected at one named
// place on the path between executor and exchange, each site can be
// switched off, and every fault that fires is recorded.
//
//   site            where                          kinds, in path order
//   submit.send     a submit leaves the executor   outage, network_error,
//                                                  drop_request
//   submit.arrive   a submit reaches the exchange  reject
//   submit.answer   the exchange's answer leaves   drop_ack, delay_ack
//   check.send      a duplicate check leaves       outage
//   check.answer    the check's answer leaves      check_fail, check_drop,
//                                                  delay_check
//   reconcile.send  a reconciler's query leaves    outage
//
// Composition (docs/faults.md): a message passes the sites of its path in
// order, and the kinds of one site in the order above. A fault that ends
// the message (lost, or failed at once with a network error) pre-empts
// every fault after it on the path: those never fire. The others change
// the exchange's answer (reject, check_fail) or delay it (delay_ack,
// delay_check), and
// the message goes on. So a lost answer is lost whatever it says.
//
// A fault fires from the file's [[faults]] (matched by order and attempt) or,
// when exploring, from a seeded draw per message ([explore] chances).
#pragma once

#include "sim/boundary_target.hpp"
#include "sim/scenario.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace execsim {

class run_log;
struct order_state;

enum class fault_site {
  submit_send,
  submit_arrive,
  submit_answer,
  check_send,
  check_answer,
  /// The reconciler's query (actors/reconciler.hpp): only an outage hits
  /// it; [[faults]] and the other random kinds aim at executors' messages.
  reconcile_send,
};

constexpr const char* to_string(fault_site s) noexcept {
  switch (s) {
    case fault_site::submit_send: return "submit.send";
    case fault_site::submit_arrive: return "submit.arrive";
    case fault_site::submit_answer: return "submit.answer";
    case fault_site::check_send: return "check.send";
    case fault_site::check_answer: return "check.answer";
    case fault_site::reconcile_send: return "reconcile.send";
  }
  return "?";
}

/// What the faults at one site did to the message passing it.
struct fault_effect {
  enum class end : std::uint8_t {
    none,          ///< the message goes on
    lost,          ///< drop_request, drop_ack, check_drop
    network_error, ///< outage, network_error: fails at once, at the sender
  };
  end ends = end::none;
  /// reject: the exchange answers with this code instead of asking its book.
  std::optional<std::string> reject_code;
  /// check_fail: the check's answer is an error.
  bool error_answer = false;
  /// delay_ack, delay_check: how much later than normal the answer arrives.
  ns_t delay = 0;
};

class fault_plan {
public:
  /// `explore`: also draw random faults from the scenario's [explore].
  fault_plan(const scenario& sc, std::uint64_t seed, bool explore,
             run_log& log);

  /// The one place faults compose: the message of `o`'s attempt (for
  /// checks: the attempt whose failure led to the check) passes `site` at
  /// `now`. Fires (and records) every fault of the site that applies, in
  /// path order, up to the first that ends the message.
  fault_effect at(fault_site site, ns_t now, const order_state& o,
                  int attempt);

  /// Every fault that fired, as an explicit [[faults]] entry (random ones
  /// included), in firing order, without repeats. The shrinker's input;
  /// kept only when exploring.
  const std::vector<fault_spec>& fired() const noexcept {
    return fired_;
  }

  /// When the last outage window so far ends: the explicit ones and those
  /// drawn while exploring (0 = none). Every other fault hits an
  /// executor's message, before its order's result.
  ns_t last_outage_end() const noexcept;

private:
  /// The fault of `kind` that hits this message (explicit first, then a
  /// seeded draw), or nullptr. Valid until the next call.
  const fault_spec* hit(fault_kind kind, fault_site site, ns_t now,
                        const order_state& o, int attempt);
  /// The first explicit fault of `kind` for this order and attempt.
  const fault_spec* match(fault_kind kind, const order_state& o,
                          int attempt) const noexcept;
  /// A random fault of `kind` drawn for this message, in drawn_, or nullptr.
  const fault_spec* draw_random(fault_kind kind, ns_t now,
                                const order_state& o, int attempt);
  /// A seeded draw: does a random fault of `kind` hit this message?
  bool drawn(fault_kind kind, double p, const order_state& o, int attempt,
             std::uint64_t salt = 0) const noexcept;
  /// [explore] boundary: maybe move the drawn delay so the ack lands at
  /// the attempt's submit_timeout (sim/boundary_target.hpp).
  void target_ack_arrival(ns_t now, const order_state& o, int attempt);
  /// [explore] boundary: maybe move the drawn delay so the check's answer
  /// lands at the check's check_timeout.
  void target_check_arrival(ns_t now, const order_state& o, int attempt);
  /// [explore] boundary: maybe end the drawn outage at an order's start.
  void target_outage_end(ns_t now, const order_state& o, int attempt);
  std::uint64_t word(fault_kind kind, const order_state& o, int attempt,
                     std::uint64_t salt) const noexcept;
  /// The outage window (explicit or drawn) that holds `now`, if any.
  const fault_spec* outage_at(ns_t now) const noexcept;
  void fire(ns_t now, const order_state& o, int attempt, fault_site site,
            const fault_spec& f);

  const scenario& sc_;
  std::uint64_t seed_;
  bool explore_;
  bool collect_fired_;
  run_log& log_;
  /// The orders' start times, sorted (only when boundary targeting is on).
  std::vector<ns_t> order_starts_;
  std::array<std::vector<const fault_spec*>, fault_kind_count> by_kind_;
  /// Kinds never drawn at random (swarm testing: not this seed's; the
  /// constructor sets it).
  std::array<bool, fault_kind_count> off_{};
  /// Swarm testing: the active kinds' chances times (kinds configured /
  /// kinds active) squared (sim/swarm.hpp says why); 1 otherwise.
  double swarm_scale_ = 1;
  /// Outages drawn while exploring (explicit ones are in by_kind_).
  std::vector<fault_spec> random_outages_;
  /// The last random fault drawn (hit()'s answer when not explicit).
  fault_spec drawn_;
  /// Set when boundary targeting placed drawn_ at an edge (for its record).
  std::optional<edge_offset> drawn_edge_;
  std::vector<fault_spec> fired_;
};

} // namespace execsim
