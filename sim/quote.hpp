// A quote (top of book) of one symbol, and a stream of them in time order:
// a market data file (market_reader.hpp) or the generator (generate.hpp).
#pragma once

#include "sim/timestamp.hpp"
#include "sim/decimal.hpp"

#include <cstdint>
#include <string>

namespace execsim::backtest {

struct quote {
  epoch_ns ts = 0;
  std::string symbol;
  decimal bid;
  decimal ask;
  std::int64_t bid_size = 0;
  std::int64_t ask_size = 0;
};

class quote_stream {
public:
  virtual ~quote_stream() = default;
  /// The next quote (timestamps never go back), or false at the end.
  virtual bool next(quote& q) = 0;
};

} // namespace execsim::backtest
