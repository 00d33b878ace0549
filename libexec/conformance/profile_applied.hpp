// A base exploration with a venue profile applied for conformance: the
// profile is what is under test, so its keys replace the base file's (the
// other way round from a scenario's own `profile`, where the scenario's
// keys win); the base keeps what the profile leaves out (prices, latency).
#pragma once

#include "sim/scenario_loader.hpp"

#include <string>

namespace execsim {

/// Loads `base_file` with `profile_file`'s [exchange] keys in place of its
/// own.
load_result load_with_profile(const std::string& base_file,
                              const std::string& profile_file);

} // namespace execsim
