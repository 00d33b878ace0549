#include "libexec/backtest/order_reader.hpp"

#include "libexec/backtest/field_parse.hpp"
#include "sim/quoted.hpp"

#include <fmt/format.h>

namespace execsim::backtest {

namespace {

enum column : std::size_t { ts, order_id, trader, symbol, side, quantity, price };

std::optional<order_side> parse_side(std::string_view text) noexcept {
  auto is = [&](std::string_view word) {
    if (text.size() != word.size())
      return false;
    for (std::size_t i = 0; i < word.size(); ++i)
      if ((text[i] | 0x20) != word[i]) // ASCII lower case
        return false;
    return true;
  };
  if (is("buy"))
    return order_side::buy;
  if (is("sell"))
    return order_side::sell;
  return std::nullopt;
}

} // namespace

order_reader::order_reader(std::string path, bool skip_bad_rows)
  : table_(std::move(path),
           {"ts", "order_id", "trader", "symbol", "side", "quantity", "price"},
           skip_bad_rows) {
}

bool order_reader::parse(const csv_record& row, order_line& out,
                         std::string& why) {
  auto ts_text = table_.field(row, ts);
  auto t = parse_timestamp(ts_text, why);
  if (!t)
    return false;
  if (last_ts_ && *t < *last_ts_) {
    why = fmt::format("timestamp {} goes back (the order before is at {}); "
                      "orders must be in time order",
                      ts_text, format_timestamp(*last_ts_));
    return false;
  }
  auto id = table_.field(row, order_id);
  auto who = table_.field(row, trader);
  auto sym = table_.field(row, symbol);
  if (id.empty() || who.empty() || sym.empty()) {
    why = fmt::format("empty {}", id.empty()    ? "order_id"
                                  : who.empty() ? "trader"
                                                : "symbol");
    return false;
  }
  if (!plain_field(id, "order_id", why) || !plain_field(who, "trader", why)
      || !plain_field(sym, "symbol", why))
    return false;
  auto s = parse_side(table_.field(row, side));
  if (!s) {
    why = fmt::format("side {} is not buy or sell",
                      quoted(table_.field(row, side)));
    return false;
  }
  auto qty = parse_count(table_.field(row, quantity), 1, "quantity", why);
  if (!qty)
    return false;
  std::optional<decimal> limit;
  if (auto px = table_.field(row, price); !px.empty()) {
    limit = parse_price(px, "price", why);
    if (!limit)
      return false;
  }
  std::string id_text{id};
  if (ids_.count(id_text) > 0) {
    why = fmt::format("duplicate order_id {}", quoted(id));
    return false;
  }
  ids_.insert(id_text);
  out.ts = *t;
  out.spec = order_spec{};
  out.spec.id = std::move(id_text);
  out.spec.trader.assign(who);
  out.spec.symbol.assign(sym);
  out.spec.side = *s;
  out.spec.quantity = *qty;
  out.spec.price = limit;
  out.spec.timestamp.assign(ts_text);
  out.spec.pos.line = static_cast<std::uint32_t>(row.line());
  return true;
}

bool order_reader::next(order_line& out) {
  std::string why;
  while (const auto* row = table_.next()) {
    if (parse(*row, out, why)) {
      last_ts_ = out.ts;
      return true;
    }
    if (!table_.reject(*row, why))
      return false;
  }
  return false;
}

} // namespace execsim::backtest
