#include "libexec/bench/rows.hpp"
#include "libexec/bench/stopwatch.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace execsim::bench {

namespace {

constexpr double linear_max = 1.3;
constexpr double rss_max_kb = 300.0 * 1024.0; // 300 MiB (#20)

std::string size_name(std::uint64_t n) {
  if (n >= 1'000'000 && n % 1'000'000 == 0)
    return fmt::format("{}M", n / 1'000'000);
  if (n >= 1'000 && n % 1'000 == 0)
    return fmt::format("{}k", n / 1'000);
  return std::to_string(n);
}

double per_order_us(const scaling_point& p) {
  return p.orders ? p.seconds * 1e6 / static_cast<double>(p.orders) : 0;
}

/// The child's own VmHWM; the sampled one only if it said nothing.
std::int64_t peak_kb(const scaling_point& p) {
  return p.vm_hwm_kb > 0 ? p.vm_hwm_kb : p.max_rss_kb;
}

} // namespace

bench_row scaling_row(const std::vector<scaling_point>& points) {
  bench_row r;
  r.key = "scaling";
  r.title = "scaling (one run each)";
  auto sizes = nlohmann::json::array();
  std::vector<std::string> parts;
  bool all_ok = !points.empty();
  for (const auto& p : points) {
    all_ok = all_ok && p.error.empty();
    sizes.push_back({{"orders", p.orders},
                     {"seconds", p.seconds},
                     {"cpu_seconds", p.cpu_seconds},
                     {"us_per_order", per_order_us(p)},
                     {"steps", p.steps},
                     {"virtual_end_ns", p.virtual_end},
                     {"vm_hwm_kb", p.vm_hwm_kb},
                     {"sampled_max_rss_kb", p.max_rss_kb},
                     {"pass", p.pass},
                     {"error", p.error}});
    if (!p.error.empty()) {
      r.notes.push_back(size_name(p.orders) + ": " + p.error);
      parts.push_back(size_name(p.orders) + " n/a");
      continue;
    }
    parts.push_back(
      fmt::format("{} {:.2f}us", size_name(p.orders), per_order_us(p)));
    r.notes.push_back(fmt::format(
      "{} orders ({} virtual): {} wall ({} CPU), {:.2f} us/order, {} "
      "orders/s, peak RSS (VmHWM) {:.1f} MiB{}",
      grouped(static_cast<double>(p.orders)), format_duration(p.virtual_end),
      seconds_text(p.seconds), seconds_text(p.cpu_seconds), per_order_us(p),
      grouped(per_second(static_cast<double>(p.orders), p.seconds)),
      static_cast<double>(peak_kb(p)) / 1024,
      p.pass ? "" : " (run did not pass)"));
  }
  r.figure = fmt::format("{}", fmt::join(parts, ", "));
  r.data = {{"sizes", sizes}};
  if (!all_ok || points.size() < 2) {
    r.targets.push_back(
      {"per-order time within 1.3x of 10k", verdict::not_available});
    r.targets.push_back({"peak RSS < 300 MiB", verdict::not_available});
    return r;
  }
  const auto& small = points.front();
  const auto& big = points.back();
  auto ratio =
    per_order_us(small) > 0 ? per_order_us(big) / per_order_us(small) : 0;
  r.data["linearity_ratio"] = ratio;
  r.figure += fmt::format("; {}/{} = {:.2f}x", size_name(big.orders),
                          size_name(small.orders), ratio);
  r.targets.push_back(
    {fmt::format("{} per-order time <= 1.3x of {}", size_name(big.orders),
                 size_name(small.orders)),
     ratio <= linear_max ? verdict::met : verdict::missed});
  r.targets.push_back(
    {fmt::format("peak RSS at {} < 300 MiB", size_name(big.orders)),
     static_cast<double>(peak_kb(big)) < rss_max_kb ? verdict::met
                                                    : verdict::missed});
  if (big.orders < 1'000'000)
    r.notes.push_back("the issue's target is at 1M orders; --quick stops at "
                      + size_name(big.orders));
  return r;
}

} // namespace execsim::bench
