#include "libexec/report/report_text.hpp"

#include "libexec/run/outcome_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace execsim::cli {

namespace {

/// The time column is as wide as its widest time (at least 10), so
/// "500us", "1.5ms" and "1.000000001s" all end in one column.
std::string timeline_lines(const std::vector<timeline_entry>& entries) {
  std::vector<std::string> times;
  std::size_t width = 10;
  for (const auto& e : entries) {
    times.push_back(format_duration(e.at));
    width = std::max(width, times.back().size());
  }
  std::string out;
  for (std::size_t i = 0; i < entries.size(); ++i)
    out += fmt::format("    {:>{}}  {}\n", times[i], width, entries[i].text);
  return out;
}

/// "  error        <message>\n", a message of several lines (a program's
/// stderr tail) continued under its first; "" for a run without one.
std::string error_text(const recorded_run& run) {
  if (!run.error)
    return {};
  std::string out = "  error        ";
  for (char c : *run.error) {
    out += c;
    if (c == '\n')
      out += "               ";
  }
  return out + "\n";
}

std::string header_text(const recorded_run& run) {
  const auto& h = run.header;
  return fmt::format("run {}: {}\n"
                     "  file         {}\n"
                     "  kind         {}\n"
                     "  seed         {}\n"
                     "  verdict      {}\n"
                     "{}"
                     "  digest       {}\n"
                     "  virtual end  {}\n"
                     "  started at   {} (wall {})\n",
                     run.run_id, h.scenario, h.file, h.kind, h.seed,
                     run.verdict, error_text(run),
                     run.digest.empty() ? "-" : run.digest,
                     format_duration(run.virtual_end_ns), h.started_at,
                     wall_text(run.wall_ms));
}

} // namespace

std::string order_result_text(const order_row& o) {
  std::vector<std::string> parts;
  if (!o.success)
    parts.emplace_back("none (the order never finished)");
  else
    parts.emplace_back(*o.success ? "success" : "failure");
  if (o.exchange_order_id)
    parts.push_back("exchange order " + *o.exchange_order_id);
  if (o.fill_price)
    parts.push_back("fill price " + *o.fill_price);
  if (o.error_code)
    parts.push_back("error_code " + *o.error_code);
  if (o.error)
    parts.push_back(fmt::format("error \"{}\"", *o.error));
  parts.push_back(fmt::format("retry_count {}", o.retry_count));
  parts.push_back("started " + format_duration(o.started_at_ns));
  if (o.finished_at_ns)
    parts.push_back("finished " + format_duration(*o.finished_at_ns));
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : ", ") + p;
  return out;
}

namespace {

std::string order_text(const order_row& o, const order_rows& rows,
                       const std::optional<report_timeouts>& timeouts) {
  return fmt::format("\norder {}: {} {} {} {} {}\n"
                     "  key     {}\n"
                     "  result  {}\n"
                     "{}",
                     o.order_id, o.trader, o.side, o.quantity, o.symbol,
                     o.price ? "limit " + *o.price : std::string{"market"},
                     o.idem_key, order_result_text(o),
                     timeline_lines(order_timeline(o, rows, timeouts)));
}

} // namespace

std::string report_text(const recorded_run& run, const row_batch& rows,
                        const std::optional<report_timeouts>& timeouts) {
  auto by_order = rows_by_order(rows);
  auto untied = untied_faults(rows);
  auto out = header_text(run);
  if (rows.orders.empty())
    out += "\nno orders recorded\n";
  for (const auto& o : rows.orders)
    out += order_text(o, by_order[o.order_id], timeouts);
  if (!untied.empty())
    out += "\nfaults not tied to one order\n" + timeline_lines(untied);
  if (!rows.violations.empty()) {
    out += "\nviolations\n";
    for (const auto& v : rows.violations)
      out += fmt::format("  {}{}: {}\n", v.invariant,
                         v.order_id ? " (" + *v.order_id + ")" : "",
                         v.detail);
  }
  return out;
}

} // namespace execsim::cli
