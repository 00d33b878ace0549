// The [exchange] settings that make the venue behave like real ones:
// latency (fixed, uniform or lognormal) and its spikes, the duplicate-key
// policy with reject_after_accept, and rate_limit.
#pragma once

#include "sim/scenario.hpp"
#include "sim/scenario_loader_fields.hpp"

#include <optional>

namespace execsim::scenario_loading {

/// `latency`: a fixed duration ("10ms") or a table ({ min, max } or
/// { dist = "lognormal", median, p99 }).
std::optional<latency_range> read_latency(const field& value);

/// `latency_spikes = { p, extra }`.
std::optional<latency_spike_config> read_latency_spikes(const field& value);

/// `rate_limit = { max, per, code, retry_after }`.
std::optional<rate_limit_config> read_rate_limit(const field& value);

/// `on_duplicate_key` and `reject_after_accept`, which sets the policy to
/// "reject" (any other policy given with it is an error).
void read_duplicate_policy(const table_reader& t, exchange_config& out);

} // namespace execsim::scenario_loading
