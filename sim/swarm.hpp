// Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012): instead of
// every seed drawing from every fault kind at once, each seed first picks a
// subset of the kinds and draws faults of those kinds only. A bug that needs
// two faults together and is masked by a third (an outage that pre-empts the
// lost ack, a failed check that hides the duplicate) is then reached more
// often than under the uniform mix.
//
// The subset is a pure function of the seed (its own rng stream, one draw
// per kind): each kind with a chance above 0 is on with probability 1/2;
// when none came up, one of them is chosen. The active kinds' chances are
// the file's times (kinds configured / kinds active) squared, up to 1: as
// FoundationDB's activated fault sites, they fire much more often. Scaled
// by the ratio alone (a seed meeting as many faults as the uniform mix, of
// fewer kinds) swarm found the original service's residual risks no
// sooner than the uniform mix (docs/exploring.md has the figures).
#pragma once

#include "sim/scenario.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace execsim {

/// The [explore] chance of `kind` per message (0: never drawn).
double explore_chance(const explore_config& ex, fault_kind kind) noexcept;

/// The kinds `ex` gives a chance above 0, in fault_kind order.
std::vector<fault_kind> configured_kinds(const explore_config& ex);

/// The kinds seed `seed` draws from under swarm testing, in fault_kind
/// order (empty only when no kind has a chance).
std::vector<fault_kind> swarm_kinds(const explore_config& ex,
                                    std::uint64_t seed);

/// "drop_ack+outage" (empty list: "none").
std::string kinds_text(const std::vector<fault_kind>& kinds);

} // namespace execsim
