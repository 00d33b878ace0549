// Shrinking one number (a delay, a time, a latency) toward its lower bound
// while a predicate still holds, preferring round values: a file that says
// "400ms" reads better than one that says "398.123456ms".
#pragma once

#include "sim/virtual_time.hpp"

#include <cstddef>
#include <functional>

namespace execsim {

/// Rounds of the search below (each at most ~11 predicate calls).
inline constexpr int value_search_rounds_max = 8;

/// The smallest value in [lower, current] the search finds for which
/// `holds` is true, given it holds for `current` (returned unchanged when
/// nothing smaller holds). First `lower` itself; then rounds of two binary
/// searches, over the multiples of M and of M/10 below the current value
/// (M: the power of ten at or below it, in ns). A search assumes `holds`
/// is monotone but trusts only values it checked, so the result always
/// holds; it has two significant digits (or is `lower`, or `current`
/// when nothing smaller held). Deterministic:
/// the same predicate gives the same calls and the same result. `holds` is
/// never called twice with one value.
ns_t shrink_value(ns_t current, ns_t lower,
                  const std::function<bool(ns_t)>& holds);

} // namespace execsim
