// Writes a scenario back as a TOML scenario file that the loader accepts
// (the shrinker's output). toml++ does the quoting and layout.
#pragma once

#include "sim/scenario.hpp"

#include <string>

namespace execsim {

/// The scenario as TOML: settings, orders, faults, expect_violations.
/// [[expect]], [[check]] and [explore] are written when present.
std::string to_toml(const scenario& sc);

} // namespace execsim
