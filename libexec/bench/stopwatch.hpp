// Wall-clock timing for `execsim bench`. Benchmarks are the one place that
// reads the wall clock on purpose; nothing here ever reaches a trace.
#pragma once

#include <chrono>
#include <ctime>

namespace execsim::bench {

class stopwatch {
public:
  stopwatch() noexcept
    : start_(std::chrono::steady_clock::now()), cpu_start_(process_cpu()) {
  }

  double seconds() const noexcept {
    return std::chrono::duration<double>(std::chrono::steady_clock::now()
                                         - start_)
      .count();
  }

  /// CPU time of the whole process since the start. Runs are single-threaded
  /// (the test scheduler), so on a busy machine this is the figure that
  /// other processes' load does not inflate.
  double cpu_seconds() const noexcept {
    return process_cpu() - cpu_start_;
  }

private:
  static double process_cpu() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec)
           + static_cast<double>(ts.tv_nsec) * 1e-9;
  }

  std::chrono::steady_clock::time_point start_;
  double cpu_start_;
};

/// `count / seconds`, 0 when nothing was timed.
inline double per_second(double count, double seconds) noexcept {
  return seconds > 0 ? count / seconds : 0;
}

} // namespace execsim::bench
