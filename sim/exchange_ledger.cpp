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
  auto& ids = by_key_[msg.idem_key];
  ids.push_back(orders_.back().id);
  // X-N is the N-th order; a key's orders are listed oldest first.
  EXECSIM_ASSERT(orders_.size() == size_before + 1);
  EXECSIM_ASSERT(orders_.back().id == orders_.size());
  EXECSIM_ASSERT(ids.size() == 1 || ids[ids.size() - 2] < ids.back());
  EXECSIM_ASSERT(orders_.back().filled == 0);
  return orders_.back();
}

const exchange_order* exchange_ledger::first_with_key(const std::string& key,
                                                      std::size_t* count) const {
  auto known = by_key_.find(key);
  if (count != nullptr)
    *count = known == by_key_.end() ? 0 : known->second.size();
  if (known == by_key_.end())
    return nullptr;
  EXECSIM_ASSERT(!known->second.empty());
  EXECSIM_ASSERT(known->second.front() - 1 < orders_.size());
  return &orders_[known->second.front() - 1];
}

std::vector<const exchange_order*>
exchange_ledger::with_key(const std::string& key) const {
  std::vector<const exchange_order*> result;
  auto known = by_key_.find(key);
  if (known != by_key_.end())
    for (auto id : known->second)
      result.push_back(&orders_[id - 1]);
  return result;
}

} // namespace execsim
