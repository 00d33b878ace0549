// Execution quality of a backtest, gathered while it runs: each order's
// arrival (time, side, quantity, the mid when it was sent), its fills and
// its result, then summed up.
//
//   filled      fills cover the quantity
//   partial     some fills, less than the quantity
//   unfilled    no fill; the executor reported success (accepted, resting)
//   failed      no fill; the executor reported failure (or nothing)
//   fill rate   filled quantity / ordered quantity
//   slippage    per order with fills and an arrival quote, in basis points:
//               (average fill price - arrival mid) / arrival mid * 1e4,
//               negated for sells, so positive = worse for the trader; the
//               average is weighted by quantity
//   times       first / last fill minus the order's send time
//   percentiles nearest rank: the value at rank ceil(p/100 * n) of the n
//               sorted values (p100 = the largest, p50 of 2 = the smaller)
#pragma once

#include "sim/decimal.hpp"
#include "sim/scenario.hpp"
#include "sim/wide_int.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace execsim::backtest {

/// Nearest-rank percentile of ascending `sorted` (not empty), p in 1..100:
/// integer arithmetic, so p95 of 20 values is exactly the 19th.
template <class T>
T percentile(const std::vector<T>& sorted, unsigned p) {
  auto n = sorted.size();
  auto rank = (static_cast<std::size_t>(p) * n + 99) / 100;
  if (rank < 1)
    rank = 1;
  return sorted[std::min(rank, n) - 1];
}

struct slippage_figures {
  std::uint64_t orders = 0; // orders with fills and an arrival quote
  double mean = 0;
  double p50 = 0;
  double p95 = 0;
  double p99 = 0;
};

struct latency_figures {
  std::uint64_t orders = 0; // orders with fills
  ns_t p50 = 0;
  ns_t p99 = 0;
};

struct execution_figures {
  std::uint64_t orders = 0;
  std::uint64_t filled = 0;
  std::uint64_t partially_filled = 0;
  std::uint64_t unfilled = 0;
  std::uint64_t failed = 0;
  /// Orders the executor reported failed although the exchange filled
  /// (some of) them: counted above by their fills.
  std::uint64_t failed_with_fills = 0;
  std::int64_t quantity = 0;
  std::int64_t filled_quantity = 0;
  double fill_rate = 0; // filled_quantity / quantity (0 without orders)
  std::uint64_t fills = 0;
  slippage_figures slippage_bps;
  /// Orders with fills but no quote of their symbol when they were sent.
  std::uint64_t no_arrival_quote = 0;
  latency_figures first_fill;
  latency_figures last_fill;
  std::uint64_t retries = 0;        // sum of retry_count
  std::uint64_t orders_retried = 0; // orders with retry_count > 0
};

class execution_stats {
public:
  /// The order was sent at spec.at; `mid` = its symbol's mid then.
  void on_arrival(const order_spec& spec, std::optional<double> mid);
  void on_fill(const std::string& order_id, std::int64_t quantity,
               const decimal& price, ns_t at);
  /// The executor's result (the first one counts).
  void on_result(const std::string& order_id, bool success, int retry_count);

  std::uint64_t arrivals() const noexcept {
    return orders_.size();
  }
  std::uint64_t results() const noexcept {
    return results_;
  }

  execution_figures figures() const;

private:
  enum class outcome : std::uint8_t { none, success, failure };
  struct order_record {
    ns_t at = 0;
    order_side side = order_side::buy;
    std::int64_t quantity = 0;
    std::optional<double> arrival_mid;
    std::int64_t filled = 0;
    int128_t notional_nano = 0; // sum of quantity * price in 1e-9 units
    std::uint64_t fills = 0;
    ns_t first_fill = 0;
    ns_t last_fill = 0;
    outcome result = outcome::none;
    int retry_count = 0;
  };

  order_record* find(const std::string& order_id);

  std::vector<order_record> orders_; // in arrival order
  // Lookup only, never iterated: hash order cannot reach the figures.
  std::unordered_map<std::string, std::size_t> index_;
  std::uint64_t results_ = 0;
};

} // namespace execsim::backtest
