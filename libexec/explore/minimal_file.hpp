// The text of a minimal scenario file: a comment block saying where it
// came from and what the shrink did, then the scenario in the reference's
// key order (sim/scenario_writer.hpp).
#pragma once

#include "libexec/explore/shrinker.hpp"

#include <string>

namespace execsim {

/// The comment block alone, every line starting with "# ":
///   # Minimal scenario shrunk by execsim (57 runs).
///   # seed:      14 of scenarios/explore/original-service.toml
///   # invariant: one_fill_per_key
///   # removed:   9 of 10 orders, 0 of 3 faults that fired
///   # dropped:   o9 quantity 25 (now 1)
///   # shrunk:    o9 at: 80ms -> 0s
///   #            latency: 5ms..50ms -> 0s
/// ("none" when nothing was dropped or shrunk).
std::string minimal_comment(const shrink_result& r);

/// minimal_comment(r), then to_toml(r.minimal, written_in).
std::string minimal_file_text(const shrink_result& r,
                              const std::string& written_in);

} // namespace execsim
