#include "libexec/explore/shrinker.hpp"

#include "libexec/run/runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

namespace execsim {

namespace {

/// Zeller's ddmin, complement steps only: returns a 1-minimal subset of
/// `items` for which `fails` still holds (given it holds for `items`).
template <class T>
std::vector<T> ddmin(std::vector<T> items,
                     const std::function<bool(const std::vector<T>&)>& fails) {
  if (items.empty() || fails({}))
    return {};
  std::size_t n = 2;
  while (items.size() >= 2) {
    auto chunk = (items.size() + n - 1) / n;
    bool reduced = false;
    for (std::size_t start = 0; start < items.size(); start += chunk) {
      std::vector<T> rest;
      for (std::size_t i = 0; i < items.size(); ++i)
        if (i < start || i >= start + chunk)
          rest.push_back(items[i]);
      if (fails(rest)) {
        items = std::move(rest);
        n = std::max<std::size_t>(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced)
      continue;
    if (n >= items.size())
      break;
    n = std::min(items.size(), n * 2);
  }
  return items;
}

/// Faults that still apply once only `orders` remain.
std::vector<fault_spec> faults_for(const std::vector<fault_spec>& faults,
                                   const std::vector<order_spec>& orders) {
  std::set<std::string> ids;
  for (const auto& o : orders)
    ids.insert(o.id);
  std::vector<fault_spec> out;
  for (const auto& f : faults)
    if (!f.order || ids.count(*f.order))
      out.push_back(f);
  return out;
}

} // namespace

shrink_result shrink(const scenario& sc, std::uint64_t seed,
                     const std::vector<fault_spec>& fired,
                     const std::string& invariant, runtime& rt) {
  shrink_result result;
  scenario base = sc;
  base.seed = seed;
  base.explore = explore_config{};
  base.expects.clear();
  base.checks.clear();
  base.expect_violations.clear();
  // The file's own faults fired too when they mattered: `fired` has them.
  base.faults.clear();

  run_options opt;
  opt.seed = seed;
  opt.trace_lines_max = 0;
  auto violations_of = [&](const scenario& candidate) {
    ++result.runs;
    return run_scenario(candidate, opt, &rt).violation_counts;
  };
  auto breaks = [&](const scenario& candidate) {
    return violations_of(candidate).count(invariant) > 0;
  };

  base.faults = fired;
  if (!breaks(base))
    return result;
  result.reproduced = true;

  std::function<bool(const std::vector<fault_spec>&)> faults_fail =
    [&](const std::vector<fault_spec>& faults) {
      auto c = base;
      c.faults = faults;
      return breaks(c);
    };
  std::function<bool(const std::vector<order_spec>&)> orders_fail =
    [&](const std::vector<order_spec>& orders) {
      if (orders.empty())
        return false;
      auto c = base;
      c.orders = orders;
      c.faults = faults_for(base.faults, orders);
      return breaks(c);
    };

  base.faults = ddmin(base.faults, faults_fail);
  base.orders = ddmin(base.orders, orders_fail);
  base.faults = faults_for(base.faults, base.orders);
  base.faults = ddmin(base.faults, faults_fail);

  // The file must expect exactly what the minimal run breaks.
  for (const auto& [name, n] : violations_of(base))
    base.expect_violations.push_back(name);
  base.name = fmt::format("{} (seed {}, minimal)", sc.name, seed);
  base.description = fmt::format(
    "Shrunk by `execsim explore` from seed {} of {}: breaks {} with {} "
    "order{} and {} fault{}.",
    seed, sc.file.empty() ? sc.name : sc.file, invariant, base.orders.size(),
    base.orders.size() == 1 ? "" : "s", base.faults.size(),
    base.faults.size() == 1 ? "" : "s");
  result.minimal = std::move(base);
  return result;
}

} // namespace execsim
