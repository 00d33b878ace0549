// `execsim replay RUN_ID`: re-run a recorded run from its recorded scenario
// text and seed, and compare the trace with the recorded one. Exit 0
// identical, 1 different, 2 bad input (no such run or database, or an
// executor program that cannot be started or broke where the recorded run
// did not).
#include "libexec/cli/commands.hpp"
#include "libexec/cli/option_checks.hpp"
#include "libexec/report/terminal_text.hpp"
#include "sim/recorded_run.hpp"

#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_paths.hpp"
#include "sim/trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

namespace execsim::cli {

namespace {

struct replay_settings {
  std::int64_t run_id = 0;
  std::string db = "execsim.sqlite";
  bool allow_process = false;
};

/// How each kind of run is re-run; nullopt = it cannot be from the
/// recording alone.
std::optional<bool> explore_faults_for(const std::string& kind) {
  // An explore run drew random faults from [explore]: the same seed draws
  // them again only with exploring on.
  if (kind == "explore")
    return true;
  if (kind == "run" || kind == "replay")
    return false;
  // A backtest's orders came from outside the scenario text.
  return std::nullopt;
}

// Whatever comes from the recording is printed through terminal_text: an old
// or hand-edited recording may hold control characters and ANSI sequences.
std::string shown(const std::string& line) {
  return line.empty() ? "(trace ended)" : terminal_text(line);
}

int fail(const std::string& message) {
  std::cerr << "execsim replay: " << terminal_text(message) << "\n";
  return exit_bad_input;
}

/// What replay needs from the recording, read and released before the run.
struct recorded_replay {
  recorded_run run;
  bool explore = false;
  std::vector<std::string> trace;
};

std::nullopt_t refuse(const std::string& message) {
  fail(message);
  return std::nullopt;
}

std::optional<recorded_replay> read_recorded(const replay_settings& s) {
  std::string error;
  auto db = recorded_db::open(s.db, error);
  if (!db)
    return refuse(error);
  auto run = db->run(s.run_id, error);
  if (!run)
    return refuse(error);
  if (run->digest.empty())
    return refuse(fmt::format("run {} has no digest recorded; nothing to "
                            "compare with",
                            s.run_id));
  auto explore = explore_faults_for(run->header.kind);
  if (!explore)
    return refuse(fmt::format("run {} is a {} run; replay re-runs only run and "
                            "explore runs",
                            s.run_id, run->header.kind));
  std::vector<trace_row> rows;
  if (!db->trace(s.run_id, rows, error))
    return refuse(error);
  recorded_replay r{std::move(*run), *explore, {}};
  r.trace.reserve(rows.size());
  for (auto& row : rows)
    r.trace.push_back(std::move(row.line));
  return r;
}

/// What a recorded process or asyncio executor would run ("" = nothing but
/// execsim's own code).
std::string recorded_program(const scenario& sc) {
  std::string command;
  if (sc.executor.kind == "process") {
    // As the run starts it: paths beside the recorded scenario file
    // resolved.
    for (const auto& arg : resolve_command(sc.executor.command, sc.file))
      command += (command.empty() ? "" : " ") + arg;
  } else if (sc.executor.kind == "asyncio") {
    command = fmt::format("{} with the factory {}", sc.executor.python,
                          sc.executor.factory);
  }
  return command;
}

/// A recording names the program a process or asyncio executor runs: run
/// it only when asked to, and say what it is.
bool process_allowed(const scenario& sc, const replay_settings& s) {
  auto command = recorded_program(sc);
  if (command.empty())
    return true;
  if (!s.allow_process) {
    auto article = sc.executor.kind == "asyncio" ? "an" : "a";
    fail(fmt::format("run {} uses {} {} executor; replaying it runs "
                     "the command its recording names: {}\n  check it, then "
                     "add --allow-process to run it",
                     s.run_id, article, sc.executor.kind, command));
    return false;
  }
  std::cerr << fmt::format("execsim replay: running the recorded {} "
                           "executor: {}\n",
                           sc.executor.kind, terminal_text(command));
  return true;
}

int compare(const replay_settings& s, const recorded_replay& rec,
            const run_outcome& out) {
  // The recording may keep fewer lines than the run had (trace_lines_max):
  // only that prefix can be compared line by line; the digest covers all.
  const auto& recorded = rec.trace;
  auto replayed = out.trace;
  if (out.digest == rec.run.digest && replayed.size() > recorded.size())
    replayed.resize(recorded.size());
  auto d = first_difference(recorded, replayed);
  if (out.digest == rec.run.digest && d.line == 0) {
    std::cout << fmt::format("identical  (run {}, digest {})\n", s.run_id,
                             out.digest);
    return exit_pass;
  }
  if (d.line == 0) {
    std::cout << fmt::format("different: the {} recorded trace lines match, "
                             "but the digests differ\n",
                             recorded.size());
  } else {
    std::cout << fmt::format("different: first differing trace line {}\n"
                             "  recorded: {}\n"
                             "  replayed: {}\n",
                             d.line, shown(d.expected), shown(d.actual));
  }
  std::cout << fmt::format("  digests:  recorded {}, replayed {}\n",
                           rec.run.digest, out.digest);
  return exit_fail;
}

int replay_command(const replay_settings& s) {
  auto rec = read_recorded(s);
  if (!rec)
    return exit_bad_input;
  // The recorded text, not the file: the file may have changed since.
  const auto& header = rec->run.header;
  auto loaded = load_scenario_text(header.scenario_text, header.file);
  if (!loaded.value) {
    for (const auto& e : loaded.errors)
      std::cerr << terminal_text(e.to_string()) << "\n";
    return fail(fmt::format("the recorded scenario of run {} no longer "
                            "loads",
                            s.run_id));
  }
  if (!process_allowed(*loaded.value, s))
    return exit_bad_input;
  // Not recorded: a replay only compares (the runner's recorder still
  // takes the events, so the trace is the recorded run's).
  run_options opt;
  opt.seed = header.seed;
  opt.explore = rec->explore;
  opt.kind = "replay";
  opt.trace_lines_max = std::max(opt.trace_lines_max, rec->trace.size());
  auto out = run_scenario(*loaded.value, opt);
  // A program that cannot start (or broke) says nothing about the code
  // under test, unless the recorded run broke the same way.
  if (out.executor_broken && out.digest != rec->run.digest)
    return fail(fmt::format("run {} could not be replayed: {}", s.run_id,
                            out.error));
  if (!out.error.empty())
    std::cerr << fmt::format("execsim replay: note: the replay stopped "
                             "early: {}\n",
                             out.error);
  return compare(s, *rec, out);
}

} // namespace

void add_replay_command(CLI::App& app, action& chosen) {
  auto s = std::make_shared<replay_settings>();
  auto* cmd = app.add_subcommand(
    "replay", "Re-run a recorded run from its recorded scenario text and "
              "seed, and compare the traces");
  cmd->add_option("run_id", s->run_id, "The run to replay (runs.run_id)")
    ->required();
  cmd->add_option("--db", s->db, "SQLite recording file")
    ->check(non_empty_check())
    ->capture_default_str();
  cmd->add_flag("--allow-process", s->allow_process,
                "Run the program or Python factory a recorded process or "
                "asyncio executor names (it comes from the recording: "
                "check it first)");
  cmd->callback([s, &chosen] { chosen = [s] { return replay_command(*s); }; });
}

} // namespace execsim::cli
