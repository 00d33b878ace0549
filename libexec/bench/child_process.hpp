// Runs another execsim process and measures it. Peak RSS is a process's
// high-water mark, so each size of the scaling row runs in a child of its
// own; the backtest row runs the backtest command the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace execsim::bench {

struct child_result {
  /// Exit status, or 128 + signal; -1 if it could not be started.
  int status = -1;
  double seconds = 0;
  /// The child's peak RSS (its VmHWM, sampled while it runs), in KiB.
  std::int64_t max_rss_kb = 0;
  std::string out; // its stdout
  std::string err; // its stderr (or why it could not start)
};

/// Runs argv[0] with argv, stdout and stderr sent to files under
/// `scratch` (so neither pipe can fill up and block it), and waits.
child_result run_child(const std::vector<std::string>& argv,
                       const std::string& scratch);

/// This process's peak resident set (VmHWM of /proc/self/status) in KiB,
/// 0 if unknown.
std::int64_t self_peak_rss_kb();

/// The path of the running executable (/proc/self/exe resolved).
std::string self_exe();

} // namespace execsim::bench
