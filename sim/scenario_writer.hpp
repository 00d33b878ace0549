// Writes a scenario back as a TOML scenario file that the loader accepts
// (the shrinker's output). toml++ does the quoting and layout.
#pragma once

#include "sim/scenario.hpp"

#include <string>

namespace execsim {

/// The scenario as TOML: settings, orders, faults, expect_violations.
/// [[expect]], [[check]] and [explore] are written when present.
/// Paths that name files beside the original scenario (a process
/// executor's command arguments, an asyncio factory's module and python)
/// are written relative to `written_in`, the directory the text will be
/// saved in, or absolute when it is empty: the file runs from there.
std::string to_toml(const scenario& sc, const std::string& written_in = {});

} // namespace execsim
