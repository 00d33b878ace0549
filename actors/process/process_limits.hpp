// The bounds on one process executor's answers: wall-clock time, line
// length, actions and bytes per answer, stderr kept for errors. Each has a
// documented default and, for tests and unusual programs, an environment
// variable (read at every message). Reference: docs/process-protocol.md.
#pragma once

#include <cstddef>

namespace execsim {

struct process_limits {
  /// Wall-clock limit for writing one message and reading its whole answer
  /// up to "ready": EXECSIM_PROCESS_TIMEOUT_MS, default 10 s.
  int reply_timeout_ms = 10'000;
  /// Longest line the program may write: EXECSIM_PROCESS_MAX_LINE_BYTES,
  /// default 1 MiB.
  std::size_t line_bytes_max = std::size_t{1} << 20;
  /// Most action lines in one answer: EXECSIM_PROCESS_MAX_ACTIONS, default
  /// 10,000.
  std::size_t actions_max = 10'000;
  /// Most bytes in one answer, all lines together: 64 MiB (no variable).
  std::size_t answer_bytes_max = std::size_t{64} << 20;
  /// The program's stderr kept for errors (the last bytes):
  /// EXECSIM_PROCESS_STDERR_BYTES, default 4 KiB.
  std::size_t stderr_bytes_kept = 4096;

  /// The defaults, overridden by the environment variables that are set to
  /// a positive integer.
  static process_limits from_environment();
};

} // namespace execsim
