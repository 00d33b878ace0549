#include "libexec/backtest/csv_order_source.hpp"

#include "sim/assert.hpp"

namespace execsim::backtest {

csv_order_source::csv_order_source(order_reader& reader, epoch_ns origin)
  : reader_(reader), origin_(origin) {
}

const order_spec* csv_order_source::peek() {
  if (!has_ahead_ && !ended_) {
    has_ahead_ = reader_.next(ahead_);
    ended_ = !has_ahead_;
    if (has_ahead_)
      ahead_.spec.at = ahead_.ts - origin_;
  }
  return has_ahead_ ? &ahead_.spec : nullptr;
}

order_spec csv_order_source::take() {
  EXECSIM_ASSERT(has_ahead_);
  has_ahead_ = false;
  if (on_take_)
    on_take_(ahead_.spec);
  return std::move(ahead_.spec);
}

} // namespace execsim::backtest
