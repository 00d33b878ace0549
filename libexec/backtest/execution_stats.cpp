#include "libexec/backtest/execution_stats.hpp"

#include <algorithm>

namespace execsim::backtest {

namespace {

double mean_of(const std::vector<double>& v) {
  // Summed in sorted order: the same figure whatever order orders came in.
  double sum = 0;
  for (double x : v)
    sum += x;
  return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

latency_figures latency_of(std::vector<ns_t> v) {
  latency_figures f;
  f.orders = v.size();
  if (v.empty())
    return f;
  std::sort(v.begin(), v.end());
  f.p50 = percentile(v, 50);
  f.p99 = percentile(v, 99);
  return f;
}

} // namespace

void execution_stats::on_arrival(const order_spec& spec,
                                 std::optional<double> mid) {
  order_record r;
  r.at = spec.at;
  r.side = spec.side;
  r.quantity = spec.quantity;
  r.arrival_mid = mid;
  index_.emplace(spec.id, orders_.size());
  orders_.push_back(r);
}

execution_stats::order_record*
execution_stats::find(const std::string& order_id) {
  auto i = index_.find(order_id);
  return i == index_.end() ? nullptr : &orders_[i->second];
}

void execution_stats::on_fill(const std::string& order_id,
                              std::int64_t quantity, const decimal& price,
                              ns_t at) {
  auto* r = find(order_id);
  if (r == nullptr)
    return;
  if (r->fills == 0)
    r->first_fill = at;
  r->last_fill = at;
  ++r->fills;
  r->filled += quantity;
  r->notional_nano += static_cast<int128_t>(quantity) * price.nano();
}

void execution_stats::on_result(const std::string& order_id, bool success,
                                int retry_count) {
  auto* r = find(order_id);
  if (r == nullptr || r->result != outcome::none)
    return;
  ++results_;
  r->result = success ? outcome::success : outcome::failure;
  r->retry_count = retry_count;
}

execution_figures execution_stats::figures() const {
  execution_figures f;
  std::vector<double> slippage;
  std::vector<ns_t> first;
  std::vector<ns_t> last;
  for (const auto& r : orders_) {
    ++f.orders;
    f.quantity += r.quantity;
    f.filled_quantity += r.filled;
    f.fills += r.fills;
    if (r.retry_count > 0) {
      f.retries += static_cast<std::uint64_t>(r.retry_count);
      ++f.orders_retried;
    }
    if (r.filled == 0) {
      (r.result == outcome::success ? f.unfilled : f.failed) += 1;
      continue;
    }
    (r.filled >= r.quantity ? f.filled : f.partially_filled) += 1;
    if (r.result != outcome::success)
      ++f.failed_with_fills;
    first.push_back(r.first_fill - r.at);
    last.push_back(r.last_fill - r.at);
    if (!r.arrival_mid || *r.arrival_mid <= 0) {
      ++f.no_arrival_quote;
      continue;
    }
    // The average price in nano units is exact up to the one division.
    auto average = static_cast<double>(r.notional_nano)
                   / static_cast<double>(r.filled) / 1e9;
    auto bps = (average - *r.arrival_mid) / *r.arrival_mid * 1e4;
    slippage.push_back(r.side == order_side::buy ? bps : -bps);
  }
  if (f.quantity > 0)
    f.fill_rate = static_cast<double>(f.filled_quantity)
                  / static_cast<double>(f.quantity);
  std::sort(slippage.begin(), slippage.end());
  f.slippage_bps.orders = slippage.size();
  if (!slippage.empty()) {
    f.slippage_bps.mean = mean_of(slippage);
    f.slippage_bps.p50 = percentile(slippage, 50);
    f.slippage_bps.p95 = percentile(slippage, 95);
    f.slippage_bps.p99 = percentile(slippage, 99);
  }
  f.first_fill = latency_of(std::move(first));
  f.last_fill = latency_of(std::move(last));
  return f;
}

} // namespace execsim::backtest
