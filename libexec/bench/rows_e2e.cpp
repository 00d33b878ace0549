#include "libexec/bench/rows.hpp"
#include "libexec/bench/stopwatch.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace execsim::bench {

namespace {

constexpr double orders_per_s_target = 100'000;
constexpr double ratio_target = 0.5;

verdict at_least(double x, double target) {
  return x >= target ? verdict::met : verdict::missed;
}

/// The variant's figures against the baselines, scaled per order.
struct scaled {
  double orders_per_s = 0;
  double steps_per_order = 0;
  double rows_per_order = 0;
  double caf_bound = 0;    // orders/s CAF alone would allow
  double sqlite_bound = 0; // orders/s SQLite alone would allow
  double ratio = 0;        // orders/s / the slower bound
};

scaled scale(const e2e_variant& v, const caf_baseline& caf,
             const sqlite_baseline& sqlite) {
  scaled s;
  auto orders = static_cast<double>(std::max<std::uint64_t>(1, v.run.orders));
  s.orders_per_s = per_second(orders, v.run.seconds);
  s.steps_per_order = static_cast<double>(v.run.steps) / orders;
  auto shape_orders =
    static_cast<double>(std::max<std::uint64_t>(1, v.shape.orders));
  s.rows_per_order =
    static_cast<double>(v.shape.per_order_rows()) / shape_orders;
  // Steps, not round trips: a scheduler step is the unit both count, and
  // a baseline round trip is itself several steps (spawn, send, reply).
  if (s.steps_per_order > 0)
    s.caf_bound = per_second(static_cast<double>(caf.steps), caf.seconds)
                  / s.steps_per_order;
  if (s.rows_per_order > 0)
    s.sqlite_bound =
      per_second(static_cast<double>(sqlite.rows), sqlite.seconds)
      / s.rows_per_order;
  auto slower = std::min(s.caf_bound, s.sqlite_bound);
  s.ratio = slower > 0 ? s.orders_per_s / slower : 0;
  return s;
}

/// Two lines: the run, then its shape and the bounds it is judged by.
std::vector<std::string> notes_of(const char* name, const e2e_variant& v,
                                  const scaled& s) {
  const auto& sh = v.shape;
  auto n = static_cast<double>(std::max<std::uint64_t>(1, sh.orders));
  auto per = [&](std::uint64_t x) { return static_cast<double>(x) / n; };
  return {
    fmt::format("{}: {} orders in {} ({} CPU: simulation {}, SQLite writer "
                "thread {}; {} virtual), {} successes, {} faults fired, {}; "
                "{:.2f} steps/order",
                name, grouped(static_cast<double>(v.run.orders)),
                seconds_text(v.run.seconds), seconds_text(v.run.cpu_seconds),
                seconds_text(v.run.cpu_seconds - v.run.writer_cpu_seconds),
                seconds_text(v.run.writer_cpu_seconds),
                format_duration(v.run.virtual_end),
                grouped(static_cast<double>(v.run.successes)),
                grouped(static_cast<double>(v.run.faults_fired)),
                v.run.pass ? "pass" : "FAILED: " + v.run.problem,
                s.steps_per_order),
    fmt::format(
      "  rows/order {:.2f} (orders 1, attempts {:.2f}, checks {:.2f}, "
      "fills {:.2f}, events {:.2f}; not counted: faults {:.2f}, trace "
      "rows {} in a {}-order run); CAF bound {} orders/s, SQLite "
      "bound {} orders/s -> ratio {:.2f}",
      s.rows_per_order, per(sh.attempts), per(sh.checks), per(sh.fills),
      per(sh.events), per(sh.faults), grouped(static_cast<double>(sh.trace)),
      grouped(static_cast<double>(sh.orders)), grouped(s.caf_bound),
      grouped(s.sqlite_bound), s.ratio)};
}

nlohmann::json data_of(const e2e_variant& v, const scaled& s) {
  return {{"orders", v.run.orders},
          {"seconds", v.run.seconds},
          {"cpu_seconds", v.run.cpu_seconds},
          {"writer_cpu_seconds", v.run.writer_cpu_seconds},
          {"orders_per_s", s.orders_per_s},
          {"steps", v.run.steps},
          {"steps_per_order", s.steps_per_order},
          {"rows_per_order", s.rows_per_order},
          {"caf_bound_orders_per_s", s.caf_bound},
          {"sqlite_bound_orders_per_s", s.sqlite_bound},
          {"ratio", s.ratio},
          {"successes", v.run.successes},
          {"faults_fired", v.run.faults_fired},
          {"pass", v.run.pass},
          {"problem", v.run.problem},
          {"rows_sample_orders", v.shape.orders}};
}

} // namespace

bench_row e2e_row(const e2e_variant& happy, const e2e_variant& faulted,
                  const caf_baseline& caf, const sqlite_baseline& sqlite) {
  auto h = scale(happy, caf, sqlite);
  auto f = scale(faulted, caf, sqlite);
  bench_row r;
  r.key = "end_to_end";
  r.title = "end to end (recorded)";
  r.figure = fmt::format("{} orders/s (10% faulted: {})",
                         grouped(h.orders_per_s), grouped(f.orders_per_s));
  r.targets.push_back({"happy path >= 100,000 orders/s",
                       at_least(h.orders_per_s, orders_per_s_target)});
  r.targets.push_back(
    {fmt::format("ratio {:.2f} >= 0.50 of slower baseline", h.ratio),
     at_least(h.ratio, ratio_target)});
  for (auto& line : notes_of("happy path", happy, h))
    r.notes.push_back(std::move(line));
  for (auto& line : notes_of("10% of submits faulted", faulted, f))
    r.notes.push_back(std::move(line));
  r.data = {{"happy", data_of(happy, h)}, {"faulted", data_of(faulted, f)}};
  return r;
}

} // namespace execsim::bench
