// The scaling row: one recorded happy-path run per size, each in a child
// process (`execsim bench --scaling-one N`), so each size's peak RSS is its
// own and not the high-water mark of whatever ran before it.
#pragma once

#include "sim/virtual_time.hpp"

#include <cstdint>
#include <string>

namespace execsim::bench {

struct scaling_point {
  std::uint64_t orders = 0;
  std::uint64_t steps = 0;
  ns_t virtual_end = 0;
  /// The run itself (first order to commit), measured in the child.
  double seconds = 0;
  double cpu_seconds = 0;
  /// The child's own VmHWM, KiB: its peak RSS.
  std::int64_t vm_hwm_kb = 0;
  /// The same, sampled from outside (child_result::max_rss_kb), KiB.
  std::int64_t max_rss_kb = 0;
  bool pass = false;
  std::string error; // the child failed
};

/// Runs `exe bench --scaling-one n --scratch scratch` and reads its answer.
scaling_point measure_scaling(const std::string& exe, std::uint64_t n,
                              const std::string& scratch);

/// The child's side: runs n orders recorded into scratch/scaling-n.sqlite
/// and prints one JSON line. Returns the exit status.
int scaling_child(std::uint64_t n, const std::string& scratch);

} // namespace execsim::bench
