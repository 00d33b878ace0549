// The conformance suite: every executor (a base exploration file: its
// executor, orders and fault chances) against every venue profile
// (scenarios/venues/), explored over a number of seeds, and for each
// invariant whether it held on all of them or which seed broke it first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace execsim {

struct conformance_settings {
  /// Base explorations, one row per profile each.
  std::vector<std::string> executors;
  /// Profile names or paths; empty = every profile the first executor's
  /// file can name (sim/scenario_loader_profile.hpp).
  std::vector<std::string> profiles;
  std::uint64_t seeds = 200;
  /// Where the minimal scenario of each broken cell is written; "" = not
  /// shrunk.
  std::string out_dir;
};

struct conformance_cell {
  bool holds = true;
  /// The lowest seed that broke it.
  std::uint64_t seed = 0;
  /// The minimal scenario's file name in out_dir ("" when not shrunk).
  std::string minimal;
};

struct conformance_row {
  std::string profile;
  std::string executor; // "<dir>/<stem>" of the base file
  std::vector<conformance_cell> cells; // one per invariant
};

struct conformance_table {
  /// Every invariant the runner checks (invariant_names()), in its order.
  std::vector<std::string> invariants;
  std::vector<conformance_row> rows;
  std::uint64_t seeds = 0;
};

/// Runs the suite. Bad input (an unreadable base file, an unknown
/// profile) is reported in `errors`, one line each; the table is then
/// empty.
conformance_table run_conformance(const conformance_settings& s,
                                  std::vector<std::string>& errors);

} // namespace execsim
