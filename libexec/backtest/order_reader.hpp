// The order stream file: CSV `ts,order_id,trader,symbol,side,quantity,price`
// (empty price = market order), with a header, in time order, streamed.
#pragma once

#include "libexec/backtest/csv_table.hpp"
#include "sim/timestamp.hpp"
#include "sim/scenario.hpp"

#include <optional>
#include <string>
#include <unordered_set>

namespace execsim::backtest {

/// An order of the file: its timestamp and the order (spec.at unset,
/// spec.timestamp = the ts as written, part of the idempotency key).
struct order_line {
  epoch_ns ts = 0;
  order_spec spec;
};

class order_reader {
public:
  order_reader(std::string path, bool skip_bad_rows);

  /// The next good order; false at the end or when a bad row stopped the
  /// reading (report().error).
  bool next(order_line& out);

  const read_report& report() const noexcept {
    return table_.report();
  }

private:
  bool parse(const csv_record& row, order_line& out, std::string& why);

  csv_table table_;
  std::optional<epoch_ns> last_ts_;
  // Ids seen so far: an id names one order in the recording and the
  // summary. Lookup only, never iterated. Memory grows with the orders (not
  // with the market data), like the exchange's book of orders.
  std::unordered_set<std::string> ids_;
};

} // namespace execsim::backtest
