// The market data file: CSV `ts,symbol,bid,ask,bid_size,ask_size`, with a
// header, in time order, streamed (one row in memory at a time).
#pragma once

#include "libexec/backtest/csv_table.hpp"
#include "sim/quote.hpp"

#include <optional>
#include <string>

namespace execsim::backtest {

class market_reader final : public quote_stream {
public:
  market_reader(std::string path, bool skip_bad_rows);

  /// The next good quote; false at the end or when a bad row stopped the
  /// reading (report().error).
  bool next(quote& q) override;

  const read_report& report() const noexcept {
    return table_.report();
  }
  std::uint64_t bytes_read() const noexcept {
    return table_.bytes_read();
  }

private:
  /// Fills `q` from `row`; false (and `why`) for a bad row.
  bool parse(const csv_record& row, quote& q, std::string& why) const;

  csv_table table_;
  std::optional<epoch_ns> last_ts_;
};

} // namespace execsim::backtest
