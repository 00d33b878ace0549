// Drawing one message's latency from [exchange] latency and
// latency_spikes: uniform in [min, max], or lognormal from its median and
// 99th percentile, plus now and then a spike.
//
// The lognormal mapping is our own (no standard-library distribution): a
// 64-bit word to a uniform in the open interval (0, 1), Acklam's rational
// approximation of the normal quantile, then median * exp(sigma * z),
// rounded to whole nanoseconds. It uses std::log, std::exp and std::sqrt,
// which libms may round differently in the last bit, so a lognormal trace
// digest is for the build platform it was made on (rounding to whole
// nanoseconds hides nearly all such differences).
#pragma once

#include "sim/scenario.hpp"

#include <cstdint>

namespace execsim {

/// Which way a message travels, for its latency draw.
enum class leg : std::uint64_t {
  submit_out = 1,
  submit_back = 2,
  check_out = 3,
  check_back = 4,
  reconcile_out = 5, ///< the reconciler's query (attempt = query number)
  reconcile_back = 6,
};

/// The longest latency a draw gives (a lognormal's tail is cut here).
constexpr ns_t latency_draw_max = 3600 * ns_per_s;

/// 2.3263478740408408: the standard normal's 99th percentile.
constexpr double normal_p99 = 2.3263478740408408;

/// A word mapped to the open interval (0, 1) (never 0 or 1), 52 bits.
double open_unit_interval(std::uint64_t word) noexcept;

/// The standard normal quantile of u in (0, 1) (Acklam; relative error
/// below 1.2e-9).
double normal_quantile(double u) noexcept;

/// The latency `l` gives for the random word `word` (unused when the
/// latency is fixed).
ns_t latency_for(const latency_range& l, std::uint64_t word) noexcept;

/// The extra latency `s` adds for the random word `word`: `extra` with
/// chance `p`, else 0.
ns_t spike_for(const latency_spike_config& s, std::uint64_t word) noexcept;

/// The one-way latency of a message of the order whose name hashes to
/// `id_hash`, for `attempt` and `way`, under `seed`: `x`'s latency and
/// spikes. A pure function, so the network and a fault that must know when
/// an answer will arrive (a boundary-targeted delay) draw the same value.
ns_t message_latency(const exchange_config& x, std::uint64_t seed,
                     std::uint64_t id_hash, int attempt, leg way) noexcept;

} // namespace execsim
