#include "sim/exchange_ledger.hpp"

#include "sim/assert.hpp"

#include <fmt/format.h>

#include <limits>

namespace execsim {

// A run keeps every exchange order: the packing is the point (see the
// struct), so a field that breaks it should be a decision, not an accident.
static_assert(sizeof(exchange_order) <= 96, "exchange_order grew past 96 bytes");

std::string exchange_order_name(std::uint64_t n) {
  return fmt::format("X-{}", n);
}

const std::string& exchange_order::symbol() const noexcept {
  static const std::string none;
  return symbol_ != nullptr ? *symbol_ : none;
}

const std::string* exchange_ledger::symbol_named(const std::string& symbol) {
  return &*symbols_.insert(symbol).first;
}

exchange_order& exchange_ledger::create(ns_t now, const submit_msg& msg,
                                        const order_spec& spec) {
  EXECSIM_ASSERT(!msg.idem_key.empty());
  // Ids, chain links and text sizes are 32-bit: the packing's limits.
  EXECSIM_ASSERT(orders_.size() < std::numeric_limits<std::uint32_t>::max());
  EXECSIM_ASSERT(msg.idem_key.size() + spec.id.size()
                 < std::numeric_limits<std::uint32_t>::max());
  exchange_order o;
  o.id = orders_.size() + 1;
  o.order = msg.order;
  const auto number = shared_ != nullptr ? shared_->number_of(msg.idem_key)
                                          : 0;
  // The order that chose the key first is this one (the usual case): its
  // text is kept already.
  if (number != 0 && key_record::id(shared_->record(number)) == spec.id)
    o.text_ = shared_->record(number);
  else
    o.text_ = key_record::keep(pool_, msg.idem_key, spec.id);
  o.symbol_ = symbol_named(spec.symbol);
  o.sell_ = spec.side == order_side::sell;
  o.quantity = spec.quantity;
  if (spec.price) {
    EXECSIM_ASSERT(spec.price->scale() >= 0 && spec.price->scale() <= 127);
    o.limit_mantissa_ = spec.price->mantissa();
    o.limit_scale_ = static_cast<std::int8_t>(spec.price->scale());
  }
  o.created_at = now;
  orders_.push_back(o);
  auto& created = orders_.back();
  const auto id = static_cast<std::uint32_t>(created.id);
  auto& c = chain_to_extend(created.idem_key(), number);
  if (c.count == 0) {
    c.first = id;
  } else {
    // X-N is the N-th order; a key's orders are chained oldest first.
    EXECSIM_ASSERT(c.last >= 1 && c.last < id);
    orders_[c.last - 1].next_with_key = id;
  }
  c.last = id;
  ++c.count;
  EXECSIM_ASSERT(created.id == orders_.size());
  EXECSIM_ASSERT(created.idem_key() == msg.idem_key);
  EXECSIM_ASSERT(created.order_id() == spec.id);
  EXECSIM_ASSERT(orders_.back().filled == 0);
  return orders_.back();
}

std::uint32_t exchange_ledger::chain_index(std::string_view key) const {
  return by_key_.find(key, [this](std::uint32_t c) {
    return orders_[chains_[c - 1].first - 1].idem_key();
  });
}

exchange_ledger::key_chain&
exchange_ledger::chain_to_extend(std::string_view key, std::uint32_t number) {
  // A key no executor had chosen when its first order came stays in the
  // ledger's own index for good (chosen later or not): one chain per key.
  if (auto n = chain_index(key); n != 0)
    return chains_[n - 1];
  if (number != 0) {
    if (shared_chains_.size() < number)
      shared_chains_.resize(number);
    return shared_chains_[number - 1];
  }
  chains_.emplace_back();
  // The key's view: the new order's text, which never moves.
  by_key_.insert(key, static_cast<std::uint32_t>(chains_.size()));
  return chains_.back();
}

const exchange_ledger::key_chain*
exchange_ledger::chain_of(std::string_view key) const {
  if (auto n = chain_index(key); n != 0)
    return &chains_[n - 1];
  if (shared_ == nullptr)
    return nullptr;
  auto number = shared_->number_of(key);
  if (number == 0 || number > shared_chains_.size()
      || shared_chains_[number - 1].count == 0)
    return nullptr;
  return &shared_chains_[number - 1];
}

const exchange_order* exchange_ledger::first_with_key(std::string_view key,
                                                      std::size_t* count) const {
  const auto* known = chain_of(key);
  if (count != nullptr)
    *count = known == nullptr ? 0 : known->count;
  if (known == nullptr)
    return nullptr;
  EXECSIM_ASSERT(known->count >= 1);
  EXECSIM_ASSERT(known->first - 1 < orders_.size());
  return &orders_[known->first - 1];
}

std::vector<const exchange_order*>
exchange_ledger::with_key(std::string_view key) const {
  std::vector<const exchange_order*> result;
  const auto* known = chain_of(key);
  if (known == nullptr)
    return result;
  result.reserve(known->count);
  for (auto id = known->first; id != 0; id = orders_[id - 1].next_with_key) {
    EXECSIM_ASSERT(id - 1 < orders_.size());
    result.push_back(&orders_[id - 1]);
  }
  EXECSIM_ASSERT(result.size() == known->count);
  return result;
}

} // namespace execsim
