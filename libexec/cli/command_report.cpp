// `execsim report [RUN_ID]`: print a recorded run (default: the newest) as
// text, as a Mermaid sequence diagram or as an HTML page (to stdout or -o
// FILE), optionally of some orders only (--order). Exit 0, or 2 when there
// is no such run, order or database, or the file cannot be written.
#include "libexec/cli/commands.hpp"
#include "libexec/cli/option_checks.hpp"
#include "sim/recorded_run.hpp"
#include "libexec/report/order_selection.hpp"
#include "libexec/report/report_html.hpp"
#include "libexec/report/report_mermaid.hpp"
#include "libexec/report/report_text.hpp"
#include "libexec/report/terminal_text.hpp"

#include "sim/scenario_loader.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace execsim::cli {

namespace {

struct report_settings {
  std::optional<std::int64_t> run_id;
  std::string db = "execsim.sqlite";
  std::string format = "text";
  std::string out; // "" = stdout
  std::vector<std::string> orders;
};

/// The executor's timeouts as the run had them: from the recorded text, as
/// the file may have changed since.
std::optional<report_timeouts> recorded_timeouts(const recorded_run& run) {
  auto loaded = load_scenario_text(run.header.scenario_text, run.header.file);
  if (!loaded.value)
    return std::nullopt;
  const auto& e = loaded.value->executor;
  return report_timeouts{e.submit_timeout, e.check_timeout};
}

int fail(const std::string& message) {
  std::cerr << "execsim report: " << terminal_text(message) << "\n";
  return exit_bad_input;
}

/// The report to -o FILE, or to stdout made safe for a terminal.
int print(const report_settings& s, const std::string& report) {
  if (s.out.empty()) {
    std::cout << terminal_text(report);
    return exit_pass;
  }
  std::ofstream file(s.out, std::ios::trunc | std::ios::binary);
  file << report;
  file.close();
  if (!file)
    return fail(fmt::format("-o {}: cannot write the file", s.out));
  return exit_pass;
}

int report_command(const report_settings& s) {
  std::string error;
  auto db = recorded_db::open(s.db, error);
  if (!db)
    return fail(error);
  auto run_id = s.run_id ? s.run_id : db->latest_run(error);
  if (!run_id)
    return fail(error);
  auto run = db->run(*run_id, error);
  if (!run)
    return fail(error);

  row_batch all;
  if (!db->rows(*run_id, all, error) || !db->trace(*run_id, all.trace, error))
    return fail(error);
  std::vector<std::string> unknown;
  auto rows = select_orders(all, s.orders, unknown);
  if (!unknown.empty())
    return fail(fmt::format("run {} has no order {}", *run_id, unknown[0]));
  if (s.format == "mermaid")
    return print(s, report_mermaid(rows.trace, rows));
  if (s.format == "html")
    return print(s, report_html(*run, rows, recorded_timeouts(*run)));
  // Names come from the recording, which an older execsim or anyone with
  // sqlite3 may have filled with control characters and ANSI sequences.
  return print(s, report_text(*run, rows, recorded_timeouts(*run)));
}

} // namespace

void add_report_command(CLI::App& app, action& chosen) {
  auto s = std::make_shared<report_settings>();
  auto* cmd = app.add_subcommand(
    "report", "Print a recorded run's timeline (default: the newest run)");
  cmd->add_option("run_id", s->run_id, "The run to print (runs.run_id)");
  cmd->add_option("--db", s->db, "SQLite recording file")
    ->check(non_empty_check())
    ->capture_default_str();
  cmd->add_option("--format", s->format,
                  "text: per-order timelines; mermaid: a sequence diagram "
                  "of the trace; html: a page with a zoomable timeline "
                  "(docs/html-report.md)")
    ->check(CLI::IsMember({"text", "mermaid", "html"}))
    ->capture_default_str();
  cmd->add_option("-o,--output", s->out,
                  "Write the report to this file instead of stdout")
    ->check(non_empty_check());
  cmd->add_option("--order", s->orders,
                  "Only this order (repeat for several; default: all)")
    ->allow_extra_args(false) // `--order o1 3`: 3 is the run id
    ->check(non_empty_check());
  cmd->callback([s, &chosen] { chosen = [s] { return report_command(*s); }; });
}

} // namespace execsim::cli
