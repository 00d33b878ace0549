#include "libexec/explore/value_search.hpp"

#include "sim/assert.hpp"

#include <map>
#include <vector>

namespace execsim {

namespace {

ns_t power_of_ten_at_or_below(ns_t x) {
  ns_t p = 1;
  while (p <= x / 10)
    p *= 10;
  return p;
}

/// The multiples of `unit` strictly between `lower` and `current`.
std::vector<ns_t> grid(ns_t lower, ns_t current, ns_t unit) {
  std::vector<ns_t> out;
  for (ns_t v = (lower / unit + 1) * unit; v < current; v += unit)
    out.push_back(v);
  return out;
}

/// The first value of `values` (ascending) that holds, by binary search
/// (the end, known to hold, when none before it is found); `fallback` if
/// none of them does.
ns_t first_holding(const std::vector<ns_t>& values, ns_t fallback,
                   const std::function<bool(ns_t)>& holds) {
  std::size_t lo = 0;
  std::size_t hi = values.size();
  while (lo < hi) {
    auto mid = lo + (hi - lo) / 2;
    if (holds(values[mid]))
      hi = mid;
    else
      lo = mid + 1;
  }
  return hi < values.size() ? values[hi] : fallback;
}

} // namespace

ns_t shrink_value(ns_t current, ns_t lower,
                  const std::function<bool(ns_t)>& holds) {
  EXECSIM_ASSERT(lower >= 0);
  if (current <= lower)
    return current;
  std::map<ns_t, bool> seen; // runs are deterministic: ask once per value
  auto ask = [&](ns_t v) {
    auto it = seen.find(v);
    if (it == seen.end())
      it = seen.emplace(v, holds(v)).first;
    return it->second;
  };
  if (ask(lower))
    return lower;
  for (int round = 0; round < value_search_rounds_max; ++round) {
    const auto before = current;
    const auto unit = power_of_ten_at_or_below(current);
    current = first_holding(grid(lower, current, unit), current, ask);
    if (unit >= 10)
      current = first_holding(grid(lower, current, unit / 10), current, ask);
    if (current == before)
      break;
  }
  return current;
}

} // namespace execsim
