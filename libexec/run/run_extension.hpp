// Something a run drives besides its orders, such as a backtest's market
// data (sim/backtest/backtest_extension.hpp). The runner attaches it once
// the run's actors exist, does not end the run while it is busy, and
// detaches it before the run is torn down.
#pragma once

namespace execsim {

struct run_context;

class run_extension {
public:
  virtual ~run_extension() = default;

  /// The run's actors (exchange, bus, driver) exist; nothing has run yet.
  virtual void attach(run_context& ctx) = 0;

  /// Whether the run still has work besides its orders (asked when no
  /// order is left to start or to finish).
  virtual bool busy() const = 0;

  /// The run is over: stop every actor attach() spawned.
  virtual void detach() = 0;
};

} // namespace execsim
