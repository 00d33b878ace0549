// Timing-boundary targeting ([explore] boundary): same-time ordering bugs
// live at the executor's own edges, and a delay drawn uniformly from
// (0, max] in nanoseconds lands on one of them about never. With chance
// `boundary` a drawn fault is placed at an edge instead:
//
//   delay_ack  the ack reaches the executor 1 ns before, exactly at, or
//              1 ns after its attempt's submit_timeout (counted from the
//              attempt's send, the instant the executor's timer starts);
//   outage     the window ends 1 ns before, exactly at, or 1 ns after the
//              start of the next order (its first submit).
//
// A targeted value outside the table's (0, max] is not used (the drawn one
// stands): `max` still bounds what the exploration injects. The draws use
// a stream of their own (rng_stream::boundary), so with boundary = 0 no
// draw of any other fault changes, nor any digest or exploration result.
#pragma once

#include "sim/scenario.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace execsim {

/// Where a targeted draw lands: this many ns after the edge (-1, 0 or 1).
using edge_offset = int;

/// Whether targeting fires for the random `kind` fault drawn for attempt
/// `attempt` of the order hashing to `id_hash`, and if so its offset.
std::optional<edge_offset> boundary_draw(double p, std::uint64_t seed,
                                         std::uint64_t id_hash, int attempt,
                                         fault_kind kind) noexcept;

/// The delay that makes an answer leaving at `now`, travelling `latency`,
/// arrive at `target`; nullopt when that is not in [1, max] (the
/// undelayed answer already arrives at or after `target`, or later than
/// the table allows).
std::optional<ns_t> delay_landing_at(ns_t now, ns_t latency, ns_t target,
                                     ns_t max) noexcept;

/// The orders' start times, sorted: outage_end_at_start's input, built
/// once per run so a draw searches instead of scanning every order.
std::vector<ns_t> sorted_starts(const std::vector<order_spec>& orders);

/// The end of an outage opening at `now` that lands `offset` after the
/// first order start after `now` (`starts` from sorted_starts); nullopt
/// when no order starts after `now` or the window would not be in (0, max]
/// long.
std::optional<ns_t> outage_end_at_start(const std::vector<ns_t>& starts,
                                        ns_t now, edge_offset offset,
                                        ns_t max) noexcept;

/// "1ns before submit_timeout", "at submit_timeout", "1ns after ...".
std::string edge_text(edge_offset offset, std::string_view edge);

} // namespace execsim
