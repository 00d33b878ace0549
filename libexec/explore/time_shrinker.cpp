#include "libexec/explore/time_shrinker.hpp"

#include "libexec/explore/shrink_oracle.hpp"
#include "libexec/explore/value_search.hpp"
#include "sim/scenario_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace execsim {

namespace {

/// One number of the scenario that can shrink, and how to show it.
struct time_target {
  std::string name;
  std::function<ns_t(const scenario&)> get;
  std::function<ns_t(const scenario&)> lower;
  std::function<void(scenario&, ns_t)> set;
  /// The value(s) as the change line shows them.
  std::function<std::string(const scenario&)> show;
};

std::string show_ns(ns_t ns) {
  return format_duration(ns);
}

/// An order's `at`; a timestamp the loader defaulted from it follows it,
/// as it would in a file that said the new `at`.
void set_order_at(order_spec& o, ns_t at) {
  if (o.timestamp == default_timestamp(o.at))
    o.timestamp = default_timestamp(at);
  o.at = at;
}

ns_t earliest(const scenario& sc) {
  std::optional<ns_t> t;
  for (const auto& o : sc.orders)
    t = std::min(t.value_or(o.at), o.at);
  for (const auto& f : sc.faults)
    if (f.kind == fault_kind::outage)
      t = std::min(t.value_or(f.from), f.from);
  return t.value_or(0);
}

time_target shift_target() {
  auto set = [](scenario& sc, ns_t v) {
    auto d = earliest(sc) - v;
    for (auto& o : sc.orders)
      set_order_at(o, o.at - d);
    for (auto& f : sc.faults)
      if (f.kind == fault_kind::outage) {
        f.from -= d;
        f.until -= d;
      }
  };
  auto zero = [](const scenario&) { return ns_t{0}; };
  return {"every time, shifted together: earliest", earliest, zero, set,
          [](const scenario& sc) { return show_ns(earliest(sc)); }};
}

std::string fault_label(const fault_spec& f, std::size_t i) {
  auto label = fmt::format("fault {} ({}", i + 1, to_string(f.kind));
  if (f.order)
    label += " " + *f.order;
  if (f.attempt)
    label += fmt::format(" attempt {}", *f.attempt);
  return label + ")";
}

void add_fault_targets(std::vector<time_target>& out, const fault_spec& f,
                       std::size_t i) {
  auto at = [i](const scenario& sc) -> const fault_spec& {
    return sc.faults[i];
  };
  auto constant = [](ns_t x) { return [x](const scenario&) { return x; }; };
  if (f.kind == fault_kind::delay_ack || f.kind == fault_kind::delay_check)
    out.push_back({fault_label(f, i) + " delay",
                   [at](const scenario& sc) { return at(sc).delay; },
                   constant(1),
                   [i](scenario& sc, ns_t v) { sc.faults[i].delay = v; },
                   [at](const scenario& sc) { return show_ns(at(sc).delay); }});
  if (f.kind != fault_kind::outage)
    return;
  auto window = [at](const scenario& sc) {
    return fmt::format("[{}, {})", show_ns(at(sc).from), show_ns(at(sc).until));
  };
  auto name = fault_label(f, i) + " window";
  out.push_back({name,
                 [at](const scenario& sc) { return at(sc).until - at(sc).from; },
                 constant(1),
                 [i](scenario& sc, ns_t v) {
                   sc.faults[i].until = sc.faults[i].from + v;
                 },
                 window});
  out.push_back({name, [at](const scenario& sc) { return at(sc).from; },
                 constant(0),
                 [i](scenario& sc, ns_t v) {
                   auto& g = sc.faults[i];
                   g.until = v + (g.until - g.from);
                   g.from = v;
                 },
                 window});
}

std::string show_latency(const scenario& sc) {
  const auto& l = sc.exchange.latency;
  return l.min == l.max ? show_ns(l.min)
                        : fmt::format("{}..{}", show_ns(l.min), show_ns(l.max));
}

/// A range's max down to its min, then the min (with the max when they
/// are equal: a fixed latency).
void add_latency_targets(std::vector<time_target>& out) {
  out.push_back({"latency",
                 [](const scenario& sc) { return sc.exchange.latency.max; },
                 [](const scenario& sc) { return sc.exchange.latency.min; },
                 [](scenario& sc, ns_t v) { sc.exchange.latency.max = v; },
                 show_latency});
  out.push_back({"latency",
                 [](const scenario& sc) { return sc.exchange.latency.min; },
                 [](const scenario&) { return ns_t{0}; },
                 [](scenario& sc, ns_t v) {
                   auto& l = sc.exchange.latency;
                   if (l.max == l.min)
                     l.max = v;
                   l.min = v;
                 },
                 show_latency});
}

void add_exchange_targets(std::vector<time_target>& out, const scenario& sc) {
  if (sc.exchange.latency.dist == latency_dist::uniform)
    add_latency_targets(out);
  if (sc.exchange.lookup_lag > 0)
    out.push_back({"exchange.lookup_lag",
                   [](const scenario& s) { return s.exchange.lookup_lag; },
                   [](const scenario&) { return ns_t{0}; },
                   [](scenario& s, ns_t v) { s.exchange.lookup_lag = v; },
                   [](const scenario& s) {
                     return show_ns(s.exchange.lookup_lag);
                   }});
  if (sc.exchange.latency_spikes.p > 0)
    out.push_back({"exchange.latency_spikes extra",
                   [](const scenario& s) { return s.exchange.latency_spikes.extra; },
                   [](const scenario&) { return ns_t{1}; },
                   [](scenario& s, ns_t v) { s.exchange.latency_spikes.extra = v; },
                   [](const scenario& s) {
                     return show_ns(s.exchange.latency_spikes.extra);
                   }});
}

std::vector<time_target> targets_of(const scenario& sc) {
  std::vector<time_target> out{shift_target()};
  for (std::size_t i = 0; i < sc.faults.size(); ++i)
    add_fault_targets(out, sc.faults[i], i);
  for (std::size_t i = 0; i < sc.orders.size(); ++i)
    out.push_back({sc.orders[i].id + " at",
                   [i](const scenario& s) { return s.orders[i].at; },
                   [](const scenario&) { return ns_t{0}; },
                   [i](scenario& s, ns_t v) { set_order_at(s.orders[i], v); },
                   [i](const scenario& s) { return show_ns(s.orders[i].at); }});
  add_exchange_targets(out, sc);
  return out;
}

} // namespace

std::vector<std::string> shrink_times(scenario& sc, shrink_oracle& oracle) {
  std::vector<std::string> changes;
  std::string last_name;
  std::string last_before;
  for (const auto& t : targets_of(sc)) {
    auto before = t.show(sc);
    auto now = t.get(sc);
    auto best = shrink_value(now, t.lower(sc), [&](ns_t v) {
      auto c = sc;
      t.set(c, v);
      return oracle.still_fails(c);
    });
    if (best == now)
      continue;
    t.set(sc, best);
    // Two steps on one thing (a latency's max then min, an outage's
    // length then start) make one line: first value -> last.
    if (!changes.empty() && last_name == t.name) {
      before = last_before;
      changes.pop_back();
    }
    changes.push_back(fmt::format("{}: {} -> {}", t.name, before, t.show(sc)));
    last_name = t.name;
    last_before = before;
  }
  return changes;
}

} // namespace execsim
