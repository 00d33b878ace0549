#include "libexec/backtest/summary_text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace execsim::backtest {

namespace {

using ordered_json = nlohmann::ordered_json;

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string counts_text(const std::map<std::string, std::uint64_t>& by_name) {
  std::string text;
  for (const auto& [name, n] : by_name)
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", name, n);
  return text;
}

std::string input_line(const char* what, const char* rows,
                       const input_figures& f) {
  auto text = fmt::format("{} {}", f.good_rows, rows);
  if (f.report.bad_rows > 0)
    text += fmt::format(" ({} skipped)",
                        plural(f.report.bad_rows, "bad row", "bad rows"));
  if (f.first_ts)
    text += fmt::format(", {} .. {}", format_timestamp(*f.first_ts),
                        format_timestamp(*f.last_ts));
  return fmt::format("  {:<11}{}\n", what, text);
}

/// A duration for people: to the microsecond from a millisecond up.
std::string readable(ns_t span) {
  if (span >= ns_per_ms)
    span = (span + ns_per_us / 2) / ns_per_us * ns_per_us;
  return format_duration(span);
}

double per_second(std::uint64_t n, double wall_ms) {
  return wall_ms > 0 ? static_cast<double>(n) / (wall_ms / 1000) : 0;
}

ordered_json input_json(const std::string& file, const input_figures& f) {
  ordered_json j;
  j["file"] = file;
  j["rows"] = f.report.rows;
  j["good_rows"] = f.good_rows;
  j["bad_rows"] = f.report.bad_rows;
  j["bad_examples"] = f.report.bad_examples;
  j["first_ts"] = f.first_ts ? format_timestamp(*f.first_ts) : "";
  j["last_ts"] = f.last_ts ? format_timestamp(*f.last_ts) : "";
  return j;
}

ordered_json counts_json(const std::map<std::string, std::uint64_t>& m) {
  auto j = ordered_json::object();
  for (const auto& [name, n] : m)
    j[name] = n;
  return j;
}

ordered_json latency_json(const latency_figures& f) {
  return {{"orders", f.orders}, {"p50", f.p50}, {"p99", f.p99}};
}

} // namespace

std::string summary_text(const backtest_inputs& in, const backtest_result& r,
                         const std::string& db) {
  const auto& f = r.figures;
  const auto& run = r.run;
  std::string text = fmt::format(
    "backtest {} + {}  ({}seed {}, digest {})\n", in.market_file,
    in.orders_file, run.run_id > 0 ? fmt::format("run {}, ", run.run_id) : "",
    run.seed, run.digest);
  text += input_line("market", "quotes", r.market);
  text += input_line("order file", "orders", r.orders);
  for (const auto* in_f : {&r.market, &r.orders})
    for (const auto& e : in_f->report.bad_examples)
      text += fmt::format("    skipped {}\n", e);
  text += fmt::format("  {:<11}{}: {} filled, {} partially filled, {} "
                      "unfilled, {} failed\n",
                      "orders", f.orders, f.filled, f.partially_filled,
                      f.unfilled, f.failed);
  if (f.failed_with_fills > 0)
    text += fmt::format("  {:<11}{} reported failed by the executor but "
                        "filled at the exchange\n",
                        "", plural(f.failed_with_fills, "order", "orders"));
  text += fmt::format("  {:<11}{:.2f}% ({} of {}) in {}\n", "fill rate",
                      f.fill_rate * 100, f.filled_quantity, f.quantity,
                      plural(f.fills, "fill", "fills"));
  if (f.slippage_bps.orders > 0)
    text += fmt::format("  {:<11}mean {:.2f}, p50 {:.2f}, p95 {:.2f}, p99 "
                        "{:.2f} bps vs arrival mid, + = worse ({})\n",
                        "slippage", f.slippage_bps.mean, f.slippage_bps.p50,
                        f.slippage_bps.p95, f.slippage_bps.p99,
                        plural(f.slippage_bps.orders, "order", "orders"));
  else
    text += fmt::format("  {:<11}none (no order filled after a quote)\n",
                        "slippage");
  if (f.no_arrival_quote > 0)
    text += fmt::format("  {:<11}{} filled without a quote when sent (no "
                        "slippage)\n",
                        "", plural(f.no_arrival_quote, "order", "orders"));
  if (f.first_fill.orders > 0) {
    text += fmt::format("  {:<11}p50 {}, p99 {}\n", "first fill",
                        readable(f.first_fill.p50), readable(f.first_fill.p99));
    text += fmt::format("  {:<11}p50 {}, p99 {}\n", "last fill",
                        readable(f.last_fill.p50), readable(f.last_fill.p99));
  }
  text += fmt::format("  {:<11}{} ({})\n", "retries", f.retries,
                      plural(f.orders_retried, "order", "orders"));
  text += fmt::format("  {:<11}{} fired{}{}\n", "faults", run.faults_fired,
                      run.faults_by_kind.empty() ? "" : ": ",
                      counts_text(run.faults_by_kind));
  std::uint64_t violations = 0;
  for (const auto& [name, n] : run.violation_counts)
    violations += n;
  text += fmt::format("  {:<11}{}{}{}\n", "violations", violations,
                      run.violation_counts.empty() ? "" : ": ",
                      counts_text(run.violation_counts));
  text += fmt::format("  {:<11}virtual {}, wall {}, {:.0f} quotes/s{}\n",
                      "time", format_seconds(run.virtual_end),
                      run.wall_ms >= 1000
                        ? fmt::format("{:.2f}s", run.wall_ms / 1000)
                        : fmt::format("{:.1f}ms", run.wall_ms),
                      per_second(r.market.good_rows, run.wall_ms),
                      run.run_id > 0 ? ", recorded in " + db : "");
  if (!run.error.empty())
    text += fmt::format("  error: {}\n", run.error);
  return text;
}

std::string summary_json(const backtest_inputs& in, const backtest_result& r,
                         const std::string& db) {
  const auto& f = r.figures;
  const auto& run = r.run;
  ordered_json j;
  ordered_json jr;
  jr["id"] = run.run_id;
  jr["db"] = run.run_id > 0 ? db : "";
  jr["pass"] = run.pass;
  jr["error"] = run.error;
  jr["seed"] = run.seed;
  jr["digest"] = run.digest;
  jr["origin"] = format_timestamp(r.origin);
  jr["virtual_end_ns"] = run.virtual_end;
  jr["wall_ms"] = run.wall_ms;
  jr["quotes_per_second"] = per_second(r.market.good_rows, run.wall_ms);
  j["run"] = jr;
  j["inputs"] = {{"market", input_json(in.market_file, r.market)},
                 {"orders", input_json(in.orders_file, r.orders)}};
  ordered_json e;
  e["orders"] = f.orders;
  e["filled"] = f.filled;
  e["partially_filled"] = f.partially_filled;
  e["unfilled"] = f.unfilled;
  e["failed"] = f.failed;
  e["failed_with_fills"] = f.failed_with_fills;
  e["quantity"] = f.quantity;
  e["filled_quantity"] = f.filled_quantity;
  e["fill_rate"] = f.fill_rate;
  e["fills"] = f.fills;
  e["slippage_bps"] = {{"orders", f.slippage_bps.orders},
                       {"mean", f.slippage_bps.mean},
                       {"p50", f.slippage_bps.p50},
                       {"p95", f.slippage_bps.p95},
                       {"p99", f.slippage_bps.p99}};
  e["no_arrival_quote"] = f.no_arrival_quote;
  e["time_to_first_fill_ns"] = latency_json(f.first_fill);
  e["time_to_last_fill_ns"] = latency_json(f.last_fill);
  e["retries"] = f.retries;
  e["orders_retried"] = f.orders_retried;
  j["execution"] = e;
  j["faults"] = {{"fired", run.faults_fired},
                 {"by_kind", counts_json(run.faults_by_kind)}};
  std::uint64_t violations = 0;
  for (const auto& [name, n] : run.violation_counts)
    violations += n;
  j["violations"] = {{"total", violations},
                     {"by_invariant", counts_json(run.violation_counts)}};
  return j.dump(2) + "\n";
}

} // namespace execsim::backtest
