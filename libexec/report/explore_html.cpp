#include "libexec/report/explore_html.hpp"

#include "libexec/report/html_escape.hpp"
#include "libexec/report/report_html.hpp"
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"

#include <fmt/format.h>

namespace execsim::cli {

namespace {

/// The minimal file run again, recorded in memory only, as a section; or
/// a sentence saying why not.
std::string minimal_run_html(const explore_html_group& g, std::size_t i) {
  auto loaded = load_scenario_file(g.minimal_path);
  if (!loaded.value)
    return fmt::format("<p class=\"problem\">{} no longer loads.</p>\n",
                       html_escape(g.minimal_path));
  const auto& sc = *loaded.value;
  row_batch rows;
  run_options opt;
  opt.capture = &rows;
  opt.kind = "explore";
  auto out = run_scenario(sc, opt);
  recorded_run run;
  run.header.scenario = sc.name;
  run.header.file = g.minimal_path;
  run.header.scenario_text = sc.text;
  run.header.seed = out.seed;
  run.header.kind = "explore";
  run.verdict = out.pass ? "pass" : "fail";
  run.digest = out.digest;
  run.virtual_end_ns = out.virtual_end;
  if (!out.error.empty())
    run.error = out.error;
  report_timeouts timeouts{sc.executor.submit_timeout,
                           sc.executor.check_timeout};
  return run_section_html(run, rows, timeouts, fmt::format("group-{}", i),
                          false);
}

std::string groups_table(const explore_html_summary& s) {
  std::string out = "<h2>Failing groups</h2>\n";
  if (s.groups.empty())
    return out + "<p>No seed broke an invariant.</p>\n";
  out += "<table class=\"groups\">\n<tr><th>count</th><th>signature</th>"
         "<th>first seed</th><th>order</th><th>replay</th><th>minimal "
         "file</th></tr>\n";
  for (std::size_t i = 0; i < s.groups.size(); ++i) {
    const auto& g = s.groups[i];
    auto minimal = g.minimal_path.empty()
                     ? html_escape(g.minimal_note)
                     : fmt::format("<a href=\"#group-{}\">{}</a> ({})", i,
                                   html_escape(g.minimal_path),
                                   html_escape(g.minimal_note));
    out += fmt::format("<tr class=\"group\" data-count=\"{}\" "
                       "data-signature=\"{}\"><td>{}</td><td "
                       "class=\"mono\">{}</td><td>{}</td><td>{}</td><td "
                       "class=\"mono\">{}</td><td class=\"mono\">{}</td>"
                       "</tr>\n",
                       g.count, html_escape(g.signature), g.count,
                       html_escape(g.signature), g.first_seed,
                       html_escape(g.order.empty() ? "-" : g.order),
                       html_escape(g.replay), minimal);
  }
  return out + "</table>\n";
}

/// Probe coverage (the hook for probes): nothing when there are none.
std::string probes_section(const explore_html_summary& s) {
  std::string out = "<section class=\"probes\" id=\"probes\">\n";
  if (!s.probe_lines.empty()) {
    out += "<h2>Probes</h2>\n<ul>\n";
    for (const auto& line : s.probe_lines)
      out += "<li class=\"probe mono\">" + html_escape(line) + "</li>\n";
    out += "</ul>\n";
  }
  return out + "</section>\n";
}

} // namespace

std::string explore_html(const explore_html_summary& s) {
  auto title = "execsim explore " + s.file;
  std::string body = "<h1>" + html_escape(title) + "</h1>\n";
  body += fmt::format(
    "<table class=\"header\">\n<tr><td>seeds</td><td class=\"mono\">{}..{}"
    "</td></tr>\n<tr><td>seeds run</td><td class=\"mono\" "
    "id=\"seeds-run\">{}</td></tr>\n<tr><td>failing</td><td class=\"mono\" "
    "id=\"failing\">{}</td></tr>\n<tr><td>groups</td><td "
    "class=\"mono\">{}</td></tr>\n<tr><td>digest</td><td "
    "class=\"mono\">{}</td></tr>\n</table>\n",
    s.from, s.from + s.seeds - 1, s.seeds_run, s.failing, s.groups.size(),
    html_escape(s.digest));
  body += groups_table(s);
  for (std::size_t i = 0; i < s.groups.size(); ++i) {
    const auto& g = s.groups[i];
    if (g.minimal_path.empty())
      continue;
    body += fmt::format("<h2 class=\"minimal\">Minimal run of {} ({} "
                        "seed{})</h2>\n",
                        html_escape(g.signature), g.count,
                        g.count == 1 ? "" : "s");
    body += minimal_run_html(g, i);
  }
  body += probes_section(s);
  return html_page(title, body);
}

} // namespace execsim::cli
