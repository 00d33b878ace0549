// Fuzz target: an order CSV file (ts,order_id,trader,symbol,side,quantity,
// price) through the streaming reader, once stopping at the first bad row
// and once skipping bad rows, as `execsim backtest` reads it. A good order
// must hold what the reader promises (an id, trader and symbol without
// control characters, quantity >= 1, time order).
#include "libexec/backtest/order_reader.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>

namespace {

void finding(const char* what) {
  std::fprintf(stderr, "order reader: %s\n", what);
  std::abort();
}

bool has_control(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return true;
  return false;
}

void read_all(const std::string& path, bool skip_bad_rows) {
  execsim::backtest::order_reader reader{path, skip_bad_rows};
  execsim::backtest::order_line o;
  std::optional<execsim::backtest::epoch_ns> last;
  std::uint64_t good = 0;
  while (reader.next(o)) {
    ++good;
    const auto& s = o.spec;
    if (s.id.empty() || s.trader.empty() || s.symbol.empty())
      finding("an order with an empty id, trader or symbol");
    if (has_control(s.id) || has_control(s.trader) || has_control(s.symbol))
      finding("a control character in an id, trader or symbol");
    if (s.quantity < 1)
      finding("a quantity below 1");
    if (last && o.ts < *last)
      finding("orders out of time order");
    last = o.ts;
  }
  const auto& report = reader.report();
  if (good + report.bad_rows > report.rows)
    finding("more orders than rows");
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
