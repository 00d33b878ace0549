// `execsim report [RUN_ID]`: print a recorded run (default: the newest) as
// text or as a Mermaid sequence diagram. Exit 0, or 2 when there is no such
// run or database.
#include "libexec/cli/commands.hpp"
#include "libexec/cli/option_checks.hpp"
#include "sim/recorded_run.hpp"
#include "libexec/report/report_mermaid.hpp"
#include "libexec/report/report_text.hpp"
#include "libexec/report/terminal_text.hpp"

#include "sim/scenario_loader.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>

namespace execsim::cli {

namespace {

struct report_settings {
  std::optional<std::int64_t> run_id;
  std::string db = "execsim.sqlite";
  std::string format = "text";
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

int report_command(const report_settings& s) {
  auto fail = [](const std::string& message) {
    std::cerr << "execsim report: " << terminal_text(message) << "\n";
    return exit_bad_input;
  };
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

  row_batch rows;
  if (!db->rows(*run_id, rows, error))
    return fail(error);
  if (s.format == "mermaid") {
    std::vector<trace_row> trace;
    if (!db->trace(*run_id, trace, error))
      return fail(error);
    std::cout << terminal_text(report_mermaid(trace, rows));
    return exit_pass;
  }
  // Names come from the recording, which an older execsim or anyone with
  // sqlite3 may have filled with control characters and ANSI sequences.
  std::cout << terminal_text(report_text(*run, rows, recorded_timeouts(*run)));
  return exit_pass;
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
                  "of the trace")
    ->check(CLI::IsMember({"text", "mermaid"}))
    ->capture_default_str();
  cmd->callback([s, &chosen] { chosen = [s] { return report_command(*s); }; });
}

} // namespace execsim::cli
