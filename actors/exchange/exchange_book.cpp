#include "actors/exchange/exchange_book.hpp"

#include "actors/exchange/market_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include "sim/assert.hpp"

namespace execsim {

exchange_book::exchange_book(const exchange_config& config, fill_sink on_fill)
  : config_(config), on_fill_(std::move(on_fill)) {
}

submit_answer rejected_answer(const submit_msg& msg, std::string code) {
  submit_answer a;
  a.order = msg.order;
  a.attempt = msg.attempt;
  a.status = submit_status::rejected;
  a.error_code = std::move(code);
  return a;
}

submit_answer exchange_book::submit(ns_t now, const submit_msg& msg,
                                    const order_spec& spec) {
  const auto& syms = config_.symbols;
  if (!syms.empty()
      && std::find(syms.begin(), syms.end(), spec.symbol) == syms.end())
    return rejected_answer(msg, "INVALID_SYMBOL");
  if (config_.reject_after_accept) {
    // Known as status queries know it: within lookup_lag of the first
    // order the key is unknown and a second order is created.
    if (known_by_key(now, msg.idem_key, true) != nullptr)
      return rejected_answer(msg, *config_.reject_after_accept);
  } else if (const auto* known = known_by_key(now, msg.idem_key, false)) {
    switch (config_.on_duplicate_key) {
      case duplicate_policy::return_existing:
        return ack(msg, *known);
      case duplicate_policy::reject:
        return rejected_answer(msg, "DUPLICATE_CLIENT_ORDER_ID");
      case duplicate_policy::accept:
        break; // an exchange without idempotency: a second order
    }
  }
  auto& o = ledger_.create(now, msg, spec);
  try_fill(now, o);
  EXECSIM_ASSERT(o.filled <= o.quantity);
  EXECSIM_ASSERT((o.filled == 0) == (o.fill_count == 0));
  return ack(msg, o);
}

bool exchange_book::remembers_key(ns_t now, const exchange_order& o) const {
  EXECSIM_ASSERT(now >= o.created_at);
  return !config_.key_ttl || now - o.created_at < *config_.key_ttl;
}

const exchange_order* exchange_book::known_by_key(ns_t now,
                                                  const std::string& key,
                                                  bool for_check) const {
  const auto* first = ledger_.first_with_key(key);
  if (first == nullptr)
    return nullptr;
  auto visible = [&](const exchange_order& o) {
    return remembers_key(now, o)
           && (!for_check || now - o.created_at >= config_.lookup_lag);
  };
  if (config_.lookup_lag == 0 && !config_.key_ttl)
    return first; // the ideal venue: no scan
  for (const auto* o : ledger_.with_key(key))
    if (visible(*o))
      return o;
  return nullptr;
}

check_answer exchange_book::check(ns_t now, const check_msg& msg) const {
  check_answer a;
  a.order = msg.order;
  a.after_attempt = msg.after_attempt;
  const auto* o = known_by_key(now, msg.idem_key, true);
  if (o == nullptr) {
    a.status = check_status::not_found;
    return a;
  }
  EXECSIM_ASSERT(o->idem_key() == msg.idem_key && o->id >= 1);
  a.status = check_status::found;
  a.exchange_order = o->id;
  a.fill_price = o->last_fill_price();
  return a;
}

void exchange_book::try_fill(ns_t now, exchange_order& o) {
  if (market_ != nullptr) {
    market_->on_order(now, o);
    return;
  }
  auto market = config_.prices.find(o.symbol());
  if (market == config_.prices.end())
    return; // no market for this symbol: the order rests
  const auto& px = market->second;
  const auto limit = o.limit();
  bool marketable = !limit
                    || (o.side() == order_side::buy ? *limit >= px
                                                  : *limit <= px);
  if (!marketable)
    return;
  EXECSIM_ASSERT(o.filled == 0); // scenario mode fills a new order at once
  fill(now, o, o.quantity - o.filled, px);
}

void exchange_book::fill(ns_t now, exchange_order& o, std::int64_t quantity,
                         const decimal& price) {
  // A fill is positive and never takes an order beyond its quantity.
  EXECSIM_ASSERT(quantity > 0);
  EXECSIM_ASSERT(o.filled >= 0 && o.filled <= o.quantity);
  EXECSIM_ASSERT(quantity <= o.quantity - o.filled);
  const auto fills_before = fills_;
  o.filled += quantity;
  ++o.fill_count;
  o.set_last_fill_price(price);
  if (!o.first_filled_at)
    o.first_filled_at = now;
  if (o.filled == o.quantity)
    o.filled_up_at = now;
  ++fills_;
  EXECSIM_ASSERT(o.filled > 0 && o.filled <= o.quantity);
  EXECSIM_ASSERT(o.fill_count >= 1 && fills_ == fills_before + 1);
  on_fill_(fill_row{exchange_order_name(o.id), std::string{o.idem_key()},
                    std::string{o.order_id()},
                    quantity, price.to_string(), now});
}

submit_answer exchange_book::ack(const submit_msg& msg,
                                 const exchange_order& o) const {
  EXECSIM_ASSERT(o.idem_key() == msg.idem_key && o.id >= 1);
  submit_answer a;
  a.order = msg.order;
  a.attempt = msg.attempt;
  a.status = submit_status::ack;
  a.exchange_order = o.id;
  a.fill_price = o.last_fill_price();
  a.filled_quantity = o.filled;
  return a;
}

} // namespace execsim
