// Exploration, after FoundationDB's simulation and TigerBeetle's VOPR: run
// one scenario under many seeds, each drawing its own random faults from the
// scenario's [explore] chances, and check the invariants on every run.
#pragma once

#include "sim/probes.hpp"
#include "sim/scenario.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace execsim {

struct explore_progress {
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  std::uint64_t failures = 0;
};

struct explore_settings {
  std::uint64_t from = 0;
  std::uint64_t seeds = 1000;
  /// This process takes seeds from + k where k % shard_count == shard_index.
  std::uint32_t shard_index = 0;
  std::uint32_t shard_count = 1;
  int jobs = 1;
  /// Stop after this many failing seeds (0 = run them all). The failures
  /// kept are the lowest seeds, whatever --jobs.
  std::size_t stop_after = 0;
  /// Called now and then from the calling thread.
  std::function<void(const explore_progress&)> on_progress;
};

struct seed_failure {
  std::uint64_t seed = 0;
  /// The first violation: invariant, order, detail.
  std::string invariant;
  std::string order;
  std::string detail;
  /// Every invariant it broke, with counts.
  std::map<std::string, std::uint64_t> violation_counts;
  /// A run error (limit), if any.
  std::string error;
  /// The faults that fired, as explicit [[faults]].
  std::vector<fault_spec> fired;
  /// With [explore] swarm: the fault kinds this seed drew from.
  std::vector<fault_kind> swarm_kinds;
};

struct explore_report {
  std::uint64_t seeds_run = 0;
  std::vector<seed_failure> failures; // by seed
  /// Per probe (index: sim/probes.hpp's order), how many seeds run reached
  /// it (libexec/explore/probe_coverage.hpp reads it).
  std::array<std::uint64_t, probe_count> probe_seeds{};
  /// Hex digest over every seed's trace digest (independent of --jobs).
  std::string digest;
};

/// The seeds this shard runs, in order.
std::vector<std::uint64_t> shard_seeds(const explore_settings& s);

explore_report explore(const scenario& sc, const explore_settings& s);

} // namespace execsim
