#include "sim/order_safety.hpp"

#include "sim/exchange_ledger.hpp"
#include "sim/virtual_time.hpp"

#include <fmt/format.h>

#include <string>

namespace execsim {

std::optional<violation_row>
check_no_orphan_fill(const order_state& o, const exchange_ledger& book,
                     const reconciled_orders& reconciled) {
  if (!o.result || !o.result->success || o.idem_key.empty())
    return std::nullopt;
  std::size_t n = 0;
  const auto* held = book.first_with_key(o.idem_key, &n);
  // None: result_matches_exchange; several: one_fill_per_key.
  if (held == nullptr || n != 1)
    return std::nullopt;
  const auto named = o.result->exchange_order;
  if (held->id == named || reconciled.count(held->id) > 0)
    return std::nullopt;
  return violation_row{
    "no_orphan_fill", o.spec.id,
    fmt::format("reported success ({}) but the exchange's order for key {} "
                "is {} (filled {} of {}): no result names it",
                named == 0 ? std::string{"no order"}
                           : exchange_order_name(named),
                o.idem_key, exchange_order_name(held->id), held->filled,
                held->quantity)};
}

namespace {

/// Whether `p` was live (open) when `o` was created: a fill at the same
/// instant came first (a market order fills as it is created).
bool live_at_creation(const exchange_order& p, const exchange_order& o) {
  return p.id < o.id && (!p.filled_up_at || *p.filled_up_at > o.created_at);
}

} // namespace

std::vector<violation_row>
check_no_duplicate_exposure(const exchange_ledger& book) {
  std::vector<violation_row> result;
  std::set<std::string, std::less<>> reported; // ordered: only looked up
  for (const auto& o : book.orders()) {
    std::size_t n = 0;
    book.first_with_key(o.idem_key(), &n);
    if (n < 2 || reported.count(o.idem_key()) > 0)
      continue;
    for (const auto* p : book.with_key(o.idem_key())) {
      if (!live_at_creation(*p, o))
        continue;
      reported.emplace(o.idem_key());
      result.push_back(
        {"no_duplicate_exposure", std::string{o.order_id()},
         fmt::format("at {} {} opened while {} of key {} was still live "
                     "(filled {} of {}): two live orders for one key",
                     format_seconds(o.created_at),
                     exchange_order_name(o.id), exchange_order_name(p->id),
                     o.idem_key(), p->filled, p->quantity)});
      break;
    }
  }
  return result;
}

} // namespace execsim
