#include "sim/invariants.hpp"

#include "sim/assert.hpp"
#include "sim/exchange_ledger.hpp"

#include <fmt/format.h>


namespace execsim {

std::optional<violation_row>
check_result_matches_exchange(const order_state& o, const exchange_ledger& book) {
  if (!o.result || o.idem_key.empty())
    return std::nullopt;
  const auto& r = *o.result;
  const auto* held = book.first_with_key(o.idem_key);
  if (r.success && held == nullptr)
    return violation_row{"result_matches_exchange", o.spec.id,
                         fmt::format("reported success ({}) but the exchange "
                                     "holds no order with key {}",
                                     exchange_order_name(r.exchange_order),
                                     o.idem_key)};
  if (!r.success && r.error_code != "STATUS_UNKNOWN" && held != nullptr) {
    const auto& x = *held;
    return violation_row{
      "result_matches_exchange", o.spec.id,
      fmt::format("reported failure ({}) but the exchange holds {} "
                  "(filled {} of {})",
                  r.error_code, exchange_order_name(x.id), x.filled,
                  x.quantity)};
  }
  return std::nullopt;
}

std::optional<violation_row> check_one_result(const order_state& o) {
  if (o.results == 1)
    return std::nullopt;
  return violation_row{"terminal", o.spec.id,
                       o.results == 0
                         ? std::string{"the order never got a result"}
                         : fmt::format("the order got {} results", o.results)};
}

std::optional<violation_row> check_distinct_key(const order_state& o,
                                                key_owners& owners) {
  auto owner = owners.claim(o.idem_key, o.spec.id);
  if (owner == o.spec.id)
    return std::nullopt;
  return violation_row{"distinct_keys", o.spec.id,
                       fmt::format("key {} is also the key of order {}: the "
                                   "exchange takes them for one order",
                                   o.idem_key, owner)};
}

std::vector<violation_row> check_one_fill_per_key(const exchange_ledger& book) {
  std::vector<violation_row> result;
  for (const auto& o : book.orders()) {
    if (o.filled > o.quantity)
      result.push_back({"one_fill_per_key", std::string{o.order_id()},
                        fmt::format("{} filled {} of {}",
                                    exchange_order_name(o.id), o.filled,
                                    o.quantity)});
    std::size_t n = 0;
    const auto* first = book.first_with_key(o.idem_key(), &n);
    // Reported once per key, at its second order.
    if (n < 2 || first->id == o.id)
      continue;
    auto held = book.with_key(o.idem_key());
    if (held[1]->id != o.id)
      continue;
    std::string ids;
    for (const auto* x : held)
      ids += (ids.empty() ? "" : ", ") + exchange_order_name(x->id);
    result.push_back({"one_fill_per_key", std::string{o.order_id()},
                      fmt::format("key {} has {} orders at the exchange ({})",
                                  o.idem_key(), held.size(), ids)});
  }
  return result;
}

} // namespace execsim
