#include "sim/exchange_ledger.hpp"

#include "sim/assert.hpp"

#include <fmt/format.h>

namespace execsim {

std::string exchange_order_name(std::uint64_t n) {
  return fmt::format("X-{}", n);
}

exchange_order& exchange_ledger::create(ns_t now, const submit_msg& msg,
                                        const order_spec& spec) {
  EXECSIM_ASSERT(!msg.idem_key.empty());
  const auto size_before = orders_.size();
  exchange_order o;
  o.id = orders_.size() + 1;
  o.order = msg.order;
  o.order_id = spec.id;
  o.idem_key = msg.idem_key;
  o.symbol = spec.symbol;
  o.side = spec.side;
  o.quantity = spec.quantity;
  o.limit = spec.price;
  o.created_at = now;
  orders_.push_back(std::move(o));
  auto& created = orders_.back();
  auto [chain, added] = by_key_.try_emplace(created.idem_key);
  auto& c = chain->second;
  if (!added) {
    // X-N is the N-th order; a key's orders are chained oldest first.
    EXECSIM_ASSERT(c.last >= 1 && c.last < created.id);
    orders_[c.last - 1].next_with_key = created.id;
  } else {
    c.first = created.id;
  }
  c.last = created.id;
  ++c.count;
  EXECSIM_ASSERT(orders_.size() == size_before + 1);
  EXECSIM_ASSERT(created.id == orders_.size());
  EXECSIM_ASSERT(chain->first.data() == orders_[c.first - 1].idem_key.data());
  EXECSIM_ASSERT(orders_.back().filled == 0);
  return orders_.back();
}

const exchange_order* exchange_ledger::first_with_key(const std::string& key,
                                                      std::size_t* count) const {
  auto known = by_key_.find(std::string_view{key});
  if (count != nullptr)
    *count = known == by_key_.end() ? 0 : known->second.count;
  if (known == by_key_.end())
    return nullptr;
  EXECSIM_ASSERT(known->second.count >= 1);
  EXECSIM_ASSERT(known->second.first - 1 < orders_.size());
  return &orders_[known->second.first - 1];
}

std::vector<const exchange_order*>
exchange_ledger::with_key(const std::string& key) const {
  std::vector<const exchange_order*> result;
  auto known = by_key_.find(std::string_view{key});
  if (known == by_key_.end())
    return result;
  result.reserve(known->second.count);
  for (auto id = known->second.first; id != 0;
       id = orders_[id - 1].next_with_key) {
    EXECSIM_ASSERT(id - 1 < orders_.size());
    result.push_back(&orders_[id - 1]);
  }
  EXECSIM_ASSERT(result.size() == known->second.count);
  return result;
}

} // namespace execsim
