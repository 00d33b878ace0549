// Everything observed about one order during a run: the source of its
// recorded rows, its expectations and its invariant checks.
#pragma once

#include "sim/messages.hpp"
#include "sim/scenario.hpp"

#include <caf/actor.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace execsim {

struct attempt_obs {
  ns_t sent_at = 0;
  std::optional<ns_t> answered_at;
  std::optional<submit_status> answer;
  std::string error_code;
  /// The executor gave up waiting before an answer came, at timed_out_at.
  bool timed_out = false;
  ns_t timed_out_at = 0;
  /// The answer came after the order's result.
  bool answered_after_result = false;
};

struct check_obs {
  int after_attempt = 0;
  ns_t sent_at = 0;
  std::optional<ns_t> answered_at;
  std::optional<check_status> answer;
  std::uint64_t exchange_order = 0;
  bool timed_out = false;
  ns_t timed_out_at = 0;
};

struct order_state {
  order_spec spec;
  /// hash_name(spec.id): the order's coordinate for seeded draws.
  std::uint64_t id_hash = 0;
  std::string idem_key;
  ns_t started_at = 0;
  std::vector<attempt_obs> attempts;
  std::vector<check_obs> checks;
  std::optional<execution_result> result;
  ns_t finished_at = 0;
  /// How many results the executor delivered (the `terminal` invariant
  /// wants exactly one).
  int results = 0;
  /// Publish sequence number at which the result was delivered.
  std::int64_t result_seq = -1;
  /// Submits that reached the exchange.
  std::int64_t submits_reached = 0;
  std::vector<event_channel> events;
  /// Messages of this order still travelling (to or from the exchange).
  std::uint32_t in_flight = 0;
  /// Kept after release: an [[expect]] names it.
  bool expected = false;
  /// Its result is STATUS_UNKNOWN and a [reconciler] runs: not released
  /// until the reconciliation is over (the queries need the order).
  bool held = false;
  /// The order's executor while it runs (reset on release, so a finished
  /// actor's memory is freed).
  caf::actor executor;
};

} // namespace execsim
