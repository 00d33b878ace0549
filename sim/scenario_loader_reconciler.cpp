#include "sim/scenario_loader_reconciler.hpp"

namespace execsim::scenario_loading {

namespace {

// In the order of the docs: messages list them so.
const std::vector<std::string_view> reconciler_keys = {
  "after", "interval", "max_queries", "resolve_within"};

/// More queries than this per order is a typo, not a plan.
constexpr std::int64_t max_queries_limit = 1'000'000;

} // namespace

void read_reconciler(const table_reader& t, reconciler_config& out) {
  out.present = true;
  t.reject_unknown_keys(reconciler_keys);
  // `after` may be 0 (ask at once); the rest must be > 0: an interval of 0
  // asks in a loop, a deadline of 0 cannot be met.
  if (auto v = t.get("after"))
    out.after = v->duration(false).value_or(out.after);
  if (auto v = t.get("interval"))
    out.interval = v->duration(true).value_or(out.interval);
  if (auto v = t.get("max_queries"))
    out.max_queries = static_cast<int>(
      v->integer(1, max_queries_limit).value_or(out.max_queries));
  if (auto v = t.get("resolve_within"))
    out.resolve_within = v->duration(true).value_or(out.resolve_within);
}

} // namespace execsim::scenario_loading
