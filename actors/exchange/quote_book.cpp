#include "actors/exchange/quote_book.hpp"

#include "actors/exchange/exchange_book.hpp"
#include "sim/trace.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace execsim {

quote_book::quote_book(exchange_book& book, backtest::quote_stream& quotes,
                       backtest::epoch_ns origin, trace& tr)
  : book_(book), quotes_(quotes), origin_(origin), trace_(tr) {
  ahead_.emplace();
  read_ahead();
}

void quote_book::read_ahead() {
  // Reads into the same quote each time: no allocation per row.
  if (!quotes_.next(*ahead_))
    ahead_.reset();
}

void quote_book::on_order(ns_t now, exchange_order& o) {
  advance_to(now);
  auto& s = symbols_[o.symbol()];
  if (s.quoted)
    take(now, o, s, false);
  if (o.filled >= o.quantity)
    return;
  s.resting.push_back(&o);
  ++resting_;
  if (on_rest_)
    on_rest_();
}

void quote_book::advance_to(ns_t now) {
  if (now < applied_to_)
    return;
  applied_to_ = now;
  while (ahead_ && virtual_time(ahead_->ts) <= now) {
    apply(*ahead_);
    read_ahead();
  }
}

std::optional<double> quote_book::mid(const std::string& symbol) const {
  auto i = symbols_.find(symbol);
  if (i == symbols_.end() || !i->second.quoted)
    return std::nullopt;
  const auto& q = i->second.current;
  return (q.bid.to_double() + q.ask.to_double()) / 2;
}

void quote_book::apply(const backtest::quote& q) {
  auto i = symbols_.find(q.symbol);
  if (i == symbols_.end())
    i = symbols_.emplace(q.symbol, symbol_state{}).first;
  auto& s = i->second;
  s.current = q;
  s.quoted = true;
  s.bid_left = q.bid_size;
  s.ask_left = q.ask_size;
  ++quotes_applied_;
  if (!s.resting.empty()) {
    // At the quote's own time: the market feed applies each quote when it
    // is due while orders rest, so this is also the virtual time now.
    auto at = virtual_time(q.ts);
    for (auto* o : s.resting)
      take(at, *o, s, true);
    auto before = s.resting.size();
    s.resting.erase(std::remove_if(s.resting.begin(), s.resting.end(),
                                   [](const exchange_order* o) {
                                     return o->filled >= o->quantity;
                                   }),
                    s.resting.end());
    resting_ -= before - s.resting.size();
  }
  if (on_progress_ && progress_every_ > 0
      && quotes_applied_ % progress_every_ == 0)
    on_progress_();
}

void quote_book::take(ns_t now, exchange_order& o, symbol_state& s,
                      bool resting) {
  auto left = o.quantity - o.filled;
  if (left <= 0)
    return;
  bool buy = o.side() == order_side::buy;
  const auto& touch = buy ? s.current.ask : s.current.bid;
  auto& shown = buy ? s.ask_left : s.bid_left;
  if (shown <= 0)
    return;
  const auto limit = o.limit();
  if (limit && (buy ? touch > *limit : touch < *limit))
    return; // not marketable at this quote
  auto price = resting && limit ? *limit : touch;
  auto qty = std::min(left, shown);
  shown -= qty;
  book_.fill(now, o, qty, price);
  trace_.add(now, "market", "exchange",
             fmt::format("fill {} {} {}@{}{}", exchange_order_name(o.id),
                         o.order_id(), qty, price.to_string(),
                         resting ? " resting" : ""));
  if (on_fill_)
    on_fill_(o, qty, price, now);
}

} // namespace execsim
