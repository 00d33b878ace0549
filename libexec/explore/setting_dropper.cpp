#include "libexec/explore/setting_dropper.hpp"

#include "libexec/explore/shrink_oracle.hpp"

#include <fmt/format.h>

#include <functional>
#include <set>

namespace execsim {

namespace {

/// One setting to drop: `apply` changes the candidate and says what it
/// dropped, or returns "" when there is nothing to drop.
using dropping = std::function<std::string(scenario&)>;

std::set<std::string> traded(const scenario& sc) {
  std::set<std::string> out;
  for (const auto& o : sc.orders)
    out.insert(o.symbol);
  return out;
}

std::string drop_untraded(scenario& sc) {
  auto used = traded(sc);
  std::vector<std::string> dropped;
  for (auto it = sc.exchange.prices.begin(); it != sc.exchange.prices.end();)
    if (used.count(it->first) == 0) {
      dropped.push_back("exchange.prices." + it->first);
      it = sc.exchange.prices.erase(it);
    } else {
      ++it;
    }
  // An empty list means "any symbol": keep the list when no order trades
  // one of its symbols, else only the traded ones.
  std::vector<std::string> kept;
  for (const auto& s : sc.exchange.symbols)
    if (used.count(s))
      kept.push_back(s);
  if (!kept.empty() && kept.size() < sc.exchange.symbols.size()) {
    for (const auto& s : sc.exchange.symbols)
      if (used.count(s) == 0)
        dropped.push_back(fmt::format("exchange.symbols {}", s));
    sc.exchange.symbols = kept;
  }
  std::string text;
  for (const auto& d : dropped)
    text += (text.empty() ? "" : ", ") + d;
  return text.empty() ? text : text + " (no order trades it)";
}

std::vector<dropping> exchange_droppings() {
  return {drop_untraded,
          [](scenario& sc) -> std::string {
            if (sc.exchange.latency_spikes.p == 0)
              return {};
            sc.exchange.latency_spikes = {};
            return "exchange.latency_spikes";
          },
          [](scenario& sc) -> std::string {
            if (!sc.exchange.rate_limit)
              return {};
            sc.exchange.rate_limit.reset();
            return "exchange.rate_limit";
          },
          [](scenario& sc) -> std::string {
            if (!sc.exchange.key_ttl)
              return {};
            sc.exchange.key_ttl.reset();
            return "exchange.key_ttl";
          }};
}

std::vector<dropping> order_droppings(const scenario& sc) {
  std::vector<dropping> out;
  for (std::size_t i = 0; i < sc.orders.size(); ++i) {
    out.push_back([i](scenario& s) -> std::string {
      auto& o = s.orders[i];
      if (!o.price)
        return {};
      auto text = fmt::format("{} price {} (now a market order)", o.id,
                              o.price->to_string());
      o.price.reset();
      return text;
    });
    out.push_back([i](scenario& s) -> std::string {
      auto& o = s.orders[i];
      if (o.quantity == 1)
        return {};
      auto text = fmt::format("{} quantity {} (now 1)", o.id, o.quantity);
      o.quantity = 1;
      return text;
    });
  }
  return out;
}

} // namespace

std::vector<std::string> drop_settings(scenario& sc, shrink_oracle& oracle) {
  auto all = exchange_droppings();
  for (auto& d : order_droppings(sc))
    all.push_back(std::move(d));
  std::vector<std::string> dropped;
  for (const auto& d : all) {
    auto candidate = sc;
    auto what = d(candidate);
    if (what.empty() || !oracle.still_fails(candidate))
      continue;
    sc = std::move(candidate);
    dropped.push_back(what);
  }
  return dropped;
}

} // namespace execsim
