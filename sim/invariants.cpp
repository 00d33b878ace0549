#include "sim/invariants.hpp"

#include "actors/exchange_book.hpp"

#include <fmt/format.h>


namespace execsim {

std::optional<violation_row>
check_result_matches_exchange(const order_state& o, const exchange_book& book) {
  if (!o.result || o.idem_key.empty())
    return std::nullopt;
  const auto& r = *o.result;
  auto held = book.with_key(o.idem_key);
  if (r.success && held.empty())
    return violation_row{"result_matches_exchange", o.spec.id,
                         fmt::format("reported success ({}) but the exchange "
                                     "holds no order with key {}",
                                     exchange_order_name(r.exchange_order),
                                     o.idem_key)};
  if (!r.success && r.error_code != "STATUS_UNKNOWN" && !held.empty()) {
    const auto& x = *held.front();
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

std::vector<violation_row> check_one_fill_per_key(const exchange_book& book) {
  std::vector<violation_row> result;
  for (const auto& o : book.orders()) {
    if (o.filled > o.quantity)
      result.push_back({"one_fill_per_key", o.order_id,
                        fmt::format("{} filled {} of {}",
                                    exchange_order_name(o.id), o.filled,
                                    o.quantity)});
    auto held = book.with_key(o.idem_key);
    // Reported once per key, at its second order.
    if (held.size() < 2 || held[1]->id != o.id)
      continue;
    std::string ids;
    for (const auto* x : held)
      ids += (ids.empty() ? "" : ", ") + exchange_order_name(x->id);
    result.push_back({"one_fill_per_key", o.order_id,
                      fmt::format("key {} has {} orders at the exchange ({})",
                                  o.idem_key, held.size(), ids)});
  }
  return result;
}

} // namespace execsim
