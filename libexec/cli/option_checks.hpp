// Checks of command-line values, shared by every subcommand: what a seed
// may be, a path that must not be empty, a shard I/N. A bad value is a
// usage error (exit 2) naming the option, before anything runs.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace execsim::cli {

/// The seeds every command accepts: 0 .. 2^63-1 (a recording stores them
/// as SQLite INTEGER). Decimal digits only: no sign, no hex.
constexpr std::uint64_t seed_max = 9'223'372'036'854'775'807ULL;

/// Decimal digits only, value <= seed_max.
CLI::Validator seed_check();

/// Refuses "" (SQLite would record into a temporary database and delete it).
CLI::Validator non_empty_check();

/// "I/N" with decimal digits only, 0 <= I < N <= 1,000,000.
bool parse_shard(const std::string& text, std::uint32_t& index,
                 std::uint32_t& count);

} // namespace execsim::cli
