// Where a run's orders come from, in order of their `at`: a scenario's
// [[orders]], or a stream (backtest CSV, generated load) that is never
// held whole in memory.
#pragma once

#include "sim/scenario.hpp"

#include <cstddef>
#include <vector>

namespace execsim {

class order_source {
public:
  virtual ~order_source() = default;
  /// The next order, or nullptr when there is none. Valid until `take`.
  virtual const order_spec* peek() = 0;
  /// Removes and returns the next order (peek() must be non-null).
  virtual order_spec take() = 0;
};

/// A scenario's orders, stably sorted by `at` (file order breaks ties).
class vector_order_source final : public order_source {
public:
  explicit vector_order_source(const std::vector<order_spec>& orders);
  const order_spec* peek() override;
  order_spec take() override;

private:
  std::vector<const order_spec*> sorted_;
  std::size_t next_ = 0;
};

} // namespace execsim
