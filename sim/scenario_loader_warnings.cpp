#include "sim/scenario_loader_warnings.hpp"

#include "sim/idempotency_key.hpp"
#include "sim/quoted.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace execsim::scenario_loading {

namespace {

std::string order_path(std::size_t index) {
  return fmt::format("orders[{}]", index + 1);
}

/// Each order whose built-in key an earlier order of the file has too, at
/// the later order. Another executor kind makes its own keys; a file that
/// expects the distinct_keys violation knows.
void shared_keys(const scenario& sc, std::vector<load_error>& out) {
  const auto& expected = sc.expect_violations;
  if (sc.executor.kind != "builtin"
      || std::find(expected.begin(), expected.end(), "distinct_keys")
           != expected.end())
    return;
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < sc.orders.size(); ++i) {
    const auto& o = sc.orders[i];
    auto [owner, added] = first.try_emplace(idempotency_key(o), i);
    if (added)
      continue;
    const auto& f = sc.orders[owner->second];
    out.push_back(
      {sc.file, o.pos,
       fmt::format("{}: order {} has the same idempotency key as order {} "
                   "({}, line {}), {}: the exchange takes them for one order "
                   "(the key holds no side; a different timestamp gives "
                   "another key)",
                   order_path(i), quoted(o.id), quoted(f.id),
                   order_path(owner->second), f.pos.line,
                   quoted(owner->first))});
  }
}

bool accepted(const exchange_config& x, const std::string& symbol) {
  return x.symbols.empty()
         || std::find(x.symbols.begin(), x.symbols.end(), symbol)
              != x.symbols.end();
}

std::string priced_listing(const exchange_config& x) {
  if (x.prices.empty())
    return "no symbol has a price";
  std::string names;
  for (const auto& [symbol, price] : x.prices)
    names += (names.empty() ? "" : ", ") + symbol;
  return "priced: " + names;
}

/// One warning per symbol without a price (that the exchange accepts), at
/// its first order. A symbol not in `symbols` is rejected (INVALID_SYMBOL)
/// instead: its orders fail, they do not rest.
void unpriced_symbols(const scenario& sc, std::vector<load_error>& out) {
  const auto& x = sc.exchange;
  std::map<std::string, std::pair<std::size_t, std::size_t>> unpriced;
  for (std::size_t i = 0; i < sc.orders.size(); ++i) {
    const auto& s = sc.orders[i].symbol;
    if (x.prices.count(s) == 0 && accepted(x, s))
      ++unpriced.try_emplace(s, i, 0).first->second.second;
  }
  for (const auto& [symbol, seen] : unpriced) {
    const auto& o = sc.orders[seen.first];
    bool given = o.symbol_pos.line != 0;
    auto others = seen.second - 1;
    out.push_back(
      {sc.file, given ? o.symbol_pos : o.pos,
       fmt::format("{}{}: order {}: symbol {}{} has no price in "
                   "[exchange.prices], so {} rest unfilled ({})",
                   order_path(seen.first), given ? ".symbol" : "",
                   quoted(o.id), quoted(symbol), given ? "" : " (the default)",
                   others == 0 ? std::string{"it will"}
                               : fmt::format("it and {} more order{} on it "
                                             "will",
                                             others, others == 1 ? "" : "s"),
                   priced_listing(x))});
  }
}

} // namespace

std::vector<load_error> scenario_warnings(const scenario& sc,
                                          const std::string& file) {
  std::vector<load_error> out;
  shared_keys(sc, out);
  unpriced_symbols(sc, out);
  for (auto& w : out)
    w.file = file;
  std::stable_sort(out.begin(), out.end(),
                   [](const load_error& a, const load_error& b) {
                     return a.pos.line != b.pos.line
                              ? a.pos.line < b.pos.line
                              : a.pos.column < b.pos.column;
                   });
  return out;
}

} // namespace execsim::scenario_loading
