// The order file as the run's order source: read one order ahead, each
// order's virtual `at` = its timestamp minus the run's origin.
#pragma once

#include "libexec/backtest/order_reader.hpp"
#include "sim/order_source.hpp"

#include <functional>
#include <optional>

namespace execsim::backtest {

class csv_order_source final : public order_source {
public:
  csv_order_source(order_reader& reader, epoch_ns origin);

  const order_spec* peek() override;
  order_spec take() override;

  /// Called with each order as the driver takes it (at its virtual `at`).
  void on_take(std::function<void(const order_spec&)> f) {
    on_take_ = std::move(f);
  }

private:
  order_reader& reader_;
  epoch_ns origin_;
  order_line ahead_;
  bool has_ahead_ = false;
  bool ended_ = false;
  std::function<void(const order_spec&)> on_take_;
};

} // namespace execsim::backtest
