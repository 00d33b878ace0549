// Fuzz target: a market data CSV file (ts,symbol,bid,ask,bid_size,ask_size)
// through the streaming reader, once stopping at the first bad row and once
// skipping bad rows, as `execsim backtest` reads it. A good quote must hold
// what the reader promises (bid <= ask, time order, a symbol); a bad file
// must say why.
#include "libexec/backtest/market_reader.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>

namespace {

void finding(const char* what) {
  std::fprintf(stderr, "market reader: %s\n", what);
  std::abort();
}

void read_all(const std::string& path, bool skip_bad_rows) {
  execsim::backtest::market_reader reader{path, skip_bad_rows};
  execsim::backtest::quote q;
  std::optional<execsim::backtest::epoch_ns> last;
  std::uint64_t good = 0;
  while (reader.next(q)) {
    ++good;
    if (q.symbol.empty())
      finding("a quote without a symbol");
    if (q.bid > q.ask)
      finding("a crossed quote");
    if (last && q.ts < *last)
      finding("quotes out of time order");
    last = q.ts;
  }
  const auto& report = reader.report();
  if (good + report.bad_rows > report.rows)
    finding("more quotes than rows");
  if (!skip_bad_rows && report.bad_rows != 0)
    finding("rows skipped without skip_bad_rows");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto path = execsim::fuzz::input_file(data, size);
  read_all(path, false);
  read_all(path, true);
  return 0;
}
