#include "libexec/backtest/market_reader.hpp"

#include "libexec/backtest/field_parse.hpp"

#include <fmt/format.h>

namespace execsim::backtest {

namespace {

enum column : std::size_t { ts, symbol, bid, ask, bid_size, ask_size };

} // namespace

market_reader::market_reader(std::string path, bool skip_bad_rows)
  : table_(std::move(path),
           {"ts", "symbol", "bid", "ask", "bid_size", "ask_size"},
           skip_bad_rows) {
}

bool market_reader::parse(const csv_record& row, quote& q,
                          std::string& why) const {
  auto t = parse_timestamp(table_.field(row, ts), why);
  if (!t)
    return false;
  if (last_ts_ && *t < *last_ts_) {
    why = fmt::format("timestamp {} goes back (the row before is at {}); "
                      "quotes must be in time order",
                      table_.field(row, ts), format_timestamp(*last_ts_));
    return false;
  }
  auto sym = table_.field(row, symbol);
  if (sym.empty()) {
    why = "empty symbol";
    return false;
  }
  if (!plain_field(sym, "symbol", why))
    return false;
  auto b = parse_price(table_.field(row, bid), "bid", why);
  if (!b)
    return false;
  auto a = parse_price(table_.field(row, ask), "ask", why);
  if (!a)
    return false;
  if (*b > *a) {
    why = fmt::format("crossed quote: bid {} is above ask {}", b->to_string(),
                      a->to_string());
    return false;
  }
  auto bs = parse_count(table_.field(row, bid_size), 0, "bid_size", why);
  if (!bs)
    return false;
  auto as = parse_count(table_.field(row, ask_size), 0, "ask_size", why);
  if (!as)
    return false;
  q.ts = *t;
  q.symbol.assign(sym);
  q.bid = *b;
  q.ask = *a;
  q.bid_size = *bs;
  q.ask_size = *as;
  return true;
}

bool market_reader::next(quote& q) {
  std::string why;
  while (const auto* row = table_.next()) {
    if (parse(*row, q, why)) {
      last_ts_ = q.ts;
      return true;
    }
    if (!table_.reject(*row, why))
      return false;
  }
  return false;
}

} // namespace execsim::backtest
