// A scenario file's load-time warnings (sim/scenario_loader_warnings.hpp)
// on stderr, one "file:line:column: warning: message" line each. Warnings
// never change a command's exit status.
#pragma once

#include "sim/scenario_loader.hpp"

namespace execsim::cli {

/// Prints `loaded`'s warnings to stderr, after what stdout already holds.
void print_load_warnings(const load_result& loaded);

} // namespace execsim::cli
