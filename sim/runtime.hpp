// The virtual-time runtime: a CAF actor system on the deterministic test
// scheduler (one thread, FIFO job queue, a clock that only moves when we
// move it), and the run loop: drain every message, jump to the next timer,
// repeat until nothing is pending.
#pragma once

#include "sim/virtual_time.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace caf::scheduler {
class test_coordinator;
}

namespace execsim {

struct run_limits {
  /// A run that is still busy at this virtual time is stopped.
  ns_t virtual_ns_max = 7 * 24 * 3600 * ns_per_s;
  /// A run that has handled this many messages is stopped.
  std::uint64_t steps_max = 2'000'000'000ULL;
};

enum class run_stop { quiescent, virtual_limit, step_limit };

class runtime {
public:
  runtime();
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  caf::actor_system& system() noexcept {
    return *system_;
  }

  /// Virtual time since `begin_run`.
  ns_t now() const noexcept;

  /// Starts a new run at virtual time 0 (one runtime serves many runs).
  void begin_run() noexcept;

  /// Runs until `done()` holds with no message left to handle (or nothing
  /// at all is pending, or a limit is hit). Timers that outlive the work
  /// (a timeout whose answer came in time) are then fired into the void so
  /// the next run on this runtime starts clean; they are not part of it.
  run_stop run(const run_limits& limits, const std::function<bool()>& done);

  /// Messages handled since `begin_run`.
  std::uint64_t steps() const noexcept {
    return steps_;
  }

  /// Handles and fires everything still pending (after a run, or before
  /// the runtime is destroyed).
  void drain();

  /// Takes out of the clock the delayed messages to `receiver` due at
  /// virtual time `due` whose content `match` accepts; returns how many.
  /// For messages known to be dropped on arrival (a finished order's
  /// timeout): they would cost memory until due and a step when they fire,
  /// and change nothing else, since the clock fires one entry at a time
  /// and the ones left keep their order. CAF's delayed messages cannot be
  /// cancelled through its API, so this reaches into the test clock.
  std::size_t withdraw_delayed(
    ns_t due, const caf::actor& receiver,
    const std::function<bool(const caf::type_erased_tuple&)>& match);

  /// A sentence for a run stopped by a limit.
  static std::string describe(run_stop stop, const run_limits& limits);

private:
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  caf::scheduler::test_coordinator* sched_;
  std::int64_t origin_ns_ = 0;
  std::uint64_t steps_ = 0;
};

} // namespace execsim
