// Writes a scenario back as a TOML scenario file that the loader accepts
// (the shrinker's minimal files, conformance's, round trips in tests).
#pragma once

#include "sim/scenario.hpp"

#include <string>

namespace execsim {

/// The scenario as TOML, its keys in the reference's order (docs/
/// scenarios.md): name, description, seed, executor, exchange, reconciler
/// (when the file has one, every key written), orders, faults,
/// expect_violations. Everything sits in the root table (dotted
/// keys for [executor] and [exchange], arrays of inline tables for orders
/// and faults) because a table header would make every later key its own:
/// that is what lets expect_violations come last. Only settings that differ
/// from the loader's defaults are written. [[expect]], [[check]] and
/// [explore] are not written (a shrunk scenario has none).
/// Paths that name files beside the original scenario (a process
/// executor's command arguments, an asyncio factory's module and python)
/// are written relative to `written_in`, the directory the text will be
/// saved in, or absolute when it is empty: the file runs from there.
std::string to_toml(const scenario& sc, const std::string& written_in = {});

/// The timestamp the loader gives an order without one: "t+<at in ns>".
std::string default_timestamp(ns_t at);

} // namespace execsim
