#include "libexec/explore/shrinker.hpp"

#include "libexec/explore/ddmin.hpp"
#include "libexec/explore/setting_dropper.hpp"
#include "libexec/explore/shrink_oracle.hpp"
#include "libexec/explore/time_shrinker.hpp"

#include <fmt/format.h>

#include <functional>
#include <set>

namespace execsim {

namespace {

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

/// The scenario as a plain run sees it: the seed fixed, no random faults,
/// none of the file's own expectations, the fired faults explicit.
scenario plain(const scenario& sc, std::uint64_t seed,
               const std::vector<fault_spec>& fired) {
  scenario base = sc;
  base.seed = seed;
  base.explore = explore_config{};
  base.expects.clear();
  base.checks.clear();
  base.expect_violations.clear();
  // The file's own faults fired too when they mattered: `fired` has them.
  base.faults = fired;
  return base;
}

/// ddmin over faults, then orders, then faults again.
void remove_faults_and_orders(scenario& base, shrink_oracle& oracle) {
  std::function<bool(const std::vector<fault_spec>&)> faults_fail =
    [&](const std::vector<fault_spec>& faults) {
      auto c = base;
      c.faults = faults;
      return oracle.breaks(c);
    };
  std::function<bool(const std::vector<order_spec>&)> orders_fail =
    [&](const std::vector<order_spec>& orders) {
      if (orders.empty())
        return false;
      auto c = base;
      c.orders = orders;
      c.faults = faults_for(base.faults, orders);
      return oracle.breaks(c);
    };
  base.faults = ddmin(base.faults, faults_fail);
  base.orders = ddmin(base.orders, orders_fail);
  base.faults = faults_for(base.faults, base.orders);
  base.faults = ddmin(base.faults, faults_fail);
}

void describe(scenario& base, const scenario& sc, const shrink_result& r) {
  base.name = fmt::format("{} (seed {}, minimal)", sc.name, r.seed);
  base.description = fmt::format(
    "Shrunk by `execsim explore` from seed {} of {}: breaks {} with {} "
    "order{} and {} fault{}.",
    r.seed, r.source, r.invariant, base.orders.size(),
    base.orders.size() == 1 ? "" : "s", base.faults.size(),
    base.faults.size() == 1 ? "" : "s");
}

} // namespace

shrink_result shrink(const scenario& sc, std::uint64_t seed,
                     const std::vector<fault_spec>& fired,
                     const std::string& invariant, runtime& rt) {
  shrink_result result;
  result.seed = seed;
  result.invariant = invariant;
  result.source = sc.file.empty() ? sc.name : sc.file;
  result.orders_before = sc.orders.size();
  result.faults_before = fired.size();
  shrink_oracle oracle(invariant, seed, rt);
  auto base = plain(sc, seed, fired);
  if (!oracle.breaks(base)) {
    result.runs = oracle.runs();
    return result;
  }
  result.reproduced = true;
  remove_faults_and_orders(base, oracle);

  // From here on the failure must stay exactly this one.
  oracle.pin(base);
  oracle.set_budget(shrink_settings_runs_max);
  result.dropped = drop_settings(base, oracle);
  oracle.set_budget(shrink_time_runs_max);
  auto before = oracle.runs();
  result.times = shrink_times(base, oracle);
  result.time_runs = oracle.runs() - before;

  // The file must expect exactly what the minimal run breaks.
  for (const auto& [name, n] : oracle.violations(base))
    base.expect_violations.push_back(name);
  describe(base, sc, result);
  result.runs = oracle.runs();
  result.minimal = std::move(base);
  return result;
}

} // namespace execsim
