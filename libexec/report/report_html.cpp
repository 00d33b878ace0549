#include "libexec/report/report_html.hpp"

#include "libexec/report/html_assets.hpp"
#include "libexec/report/html_escape.hpp"
#include "libexec/report/report_text.hpp"
#include "libexec/report/row_text.hpp"
#include "libexec/report/timeline_svg.hpp"
#include "sim/virtual_time.hpp"

#include <fmt/format.h>

namespace execsim::cli {

namespace {

std::string header_html(const recorded_run& run) {
  const auto& h = run.header;
  auto row = [](const char* name, const std::string& value) {
    return fmt::format("<tr><td>{}</td><td class=\"mono\">{}</td></tr>\n",
                       name, html_escape(value));
  };
  std::string out = "<table class=\"header\">\n";
  out += row("file", h.file);
  out += row("kind", h.kind);
  out += row("seed", std::to_string(h.seed));
  out += row("verdict", run.verdict);
  if (run.error)
    out += row("error", *run.error);
  out += row("digest", run.digest.empty() ? "-" : run.digest);
  out += row("virtual end", format_duration(run.virtual_end_ns));
  return out + "</table>\n";
}

std::string order_title(const order_row& o) {
  return fmt::format("{} {} {} {} {}", o.trader, o.side, o.quantity, o.symbol,
                     o.price ? "limit " + *o.price : std::string{"market"});
}

std::string results_html(const row_batch& rows) {
  std::string out = "<h3>Results</h3>\n<ul class=\"results\">\n";
  if (rows.orders.empty())
    out += "<li>no orders recorded</li>\n";
  for (const auto& o : rows.orders) {
    auto cls = !o.success ? "none" : *o.success ? "ok" : "failed";
    out += fmt::format("<li class=\"order-result {}\" data-order=\"{}\" "
                       "title=\"{}\"><b>{}</b> {}: {}</li>\n",
                       cls, html_escape(o.order_id), html_escape(row_text(o)),
                       html_escape(o.order_id), html_escape(order_title(o)),
                       html_escape(order_result_text(o)));
  }
  out += "</ul>\n";
  out += fmt::format("<h3>Violations ({})</h3>\n<ul class=\"violations\">\n",
                     rows.violations.size());
  if (rows.violations.empty())
    out += "<li>none</li>\n";
  for (const auto& v : rows.violations)
    out += fmt::format("<li class=\"violation\" data-kind=\"violation\">{}{}: "
                       "{}</li>\n",
                       html_escape(v.invariant),
                       v.order_id ? " (" + html_escape(*v.order_id) + ")" : "",
                       html_escape(v.detail));
  return out + "</ul>\n";
}

std::string legend_html() {
  return "<div class=\"legend\"><span><i style=\"background:#4263eb\"></i>"
         "message (send to arrival)</span><span><i "
         "style=\"background:#e8590c\"></i>fault; a lost message ends in a "
         "cross</span><span><i style=\"background:#74c0fc\"></i>attempt"
         "</span><span><i style=\"background:#b197fc\"></i>check</span><span>"
         "<i style=\"background:#dee2e6\"></i>backoff</span><span><i "
         "style=\"background:#2f9e44\"></i>fill, success</span><span><i "
         "style=\"background:#1098ad\"></i>event</span><span><i "
         "style=\"background:#c92a2a\"></i>failure</span></div>\n";
}

std::string chart_html(const row_batch& rows,
                       const std::optional<report_timeouts>& timeouts,
                       const std::string& id) {
  return "<div class=\"chart\">\n<div class=\"tools\"><button "
         "data-zoom=\"in\" title=\"zoom in\">+</button><button "
         "data-zoom=\"out\" title=\"zoom out\">-</button><button "
         "data-zoom=\"fit\">fit</button><span class=\"range\"></span> "
         "(wheel zooms, drag pans; hover or click a mark for its recorded "
         "row)</div>\n"
         + timeline_svg(rows, timeouts, id + "-svg")
         + "<pre class=\"detail\">Click a mark to see its recorded "
           "row.</pre>\n</div>\n"
         + legend_html();
}

std::string entries_html(const std::string& caption,
                         const std::string& order_id,
                         const std::vector<timeline_entry>& entries) {
  std::string out =
    fmt::format("<table class=\"entries\" data-order=\"{}\"><caption>{}"
                "</caption>\n",
                html_escape(order_id), html_escape(caption));
  for (const auto& e : entries)
    out += fmt::format("<tr data-at=\"{}\"><td class=\"t\">{}</td><td>{}</td>"
                       "</tr>\n",
                       e.at, format_duration(e.at), html_escape(e.text));
  return out + "</table>\n";
}

std::string timelines_html(const row_batch& rows,
                           const std::optional<report_timeouts>& timeouts,
                           bool open) {
  std::string out = fmt::format("<details class=\"timelines\"{}><summary>"
                                "Timelines (as the text report prints "
                                "them)</summary>\n",
                                open ? " open" : "");
  auto by_order = rows_by_order(rows);
  for (const auto& o : rows.orders)
    out += entries_html(fmt::format("order {}: {}, key {}", o.order_id,
                                    order_title(o), o.idem_key),
                        o.order_id,
                        order_timeline(o, by_order[o.order_id], timeouts));
  auto untied = untied_faults(rows);
  if (!untied.empty())
    out += entries_html("faults not tied to one order", "", untied);
  return out + "</details>\n";
}

} // namespace

std::string run_section_html(const recorded_run& run, const row_batch& rows,
                             const std::optional<report_timeouts>& timeouts,
                             const std::string& id, bool lines_open) {
  // A run not recorded (an exploration's minimal run) has no run id.
  auto name = run.run_id != 0 ? fmt::format("run {}: {}", run.run_id,
                                            run.header.scenario)
                              : run.header.scenario;
  return fmt::format("<section class=\"run\" id=\"{}\" data-run-id=\"{}\">\n"
                     "<h2>{}</h2>\n",
                     id, run.run_id, html_escape(name))
         + header_html(run) + results_html(rows)
         + chart_html(rows, timeouts, id)
         + timelines_html(rows, timeouts, lines_open)
         + "</section>\n";
}

std::string html_page(const std::string& title, const std::string& body) {
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                     "<meta charset=\"utf-8\">\n<title>{}</title>\n"
                     "<style>{}</style>\n<script>{}</script>\n</head>\n"
                     "<body>\n<pre id=\"js-errors\" data-errors=\"0\" "
                     "hidden></pre>\n{}<script>{}</script>\n</body>\n"
                     "</html>\n",
                     html_escape(title), html_style(), html_error_script(),
                     body, html_script());
}

std::string report_html(const recorded_run& run, const row_batch& rows,
                        const std::optional<report_timeouts>& timeouts) {
  auto title = fmt::format("execsim run {}: {}", run.run_id,
                           run.header.scenario);
  return html_page(title,
                   run_section_html(run, rows, timeouts,
                                    fmt::format("run-{}", run.run_id), true));
}

} // namespace execsim::cli
