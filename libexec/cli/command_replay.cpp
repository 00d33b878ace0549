// `execsim replay RUN_ID`: re-run a recorded run from its recorded scenario
// text and seed, and compare the trace with the recorded one. Exit 0
// identical, 1 different, 2 bad input (no such run or database).
#include "libexec/cli/commands.hpp"
#include "sim/recorded_run.hpp"

#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>

namespace execsim::cli {

namespace {

struct replay_settings {
  std::int64_t run_id = 0;
  std::string db = "execsim.sqlite";
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

std::string shown(const std::string& line) {
  return line.empty() ? "(trace ended)" : line;
}

int replay_command(const replay_settings& s) {
  auto fail = [](const std::string& message) {
    std::cerr << "execsim replay: " << message << "\n";
    return exit_bad_input;
  };
  std::string error;
  auto db = recorded_db::open(s.db, error);
  if (!db)
    return fail(error);
  auto run = db->run(s.run_id, error);
  if (!run)
    return fail(error);
  if (run->digest.empty())
    return fail(fmt::format("run {} has no digest recorded; nothing to "
                            "compare with",
                            s.run_id));
  auto explore = explore_faults_for(run->header.kind);
  if (!explore)
    return fail(fmt::format("run {} is a {} run; replay re-runs only run and "
                            "explore runs",
                            s.run_id, run->header.kind));
  std::vector<trace_row> recorded_rows;
  if (!db->trace(s.run_id, recorded_rows, error))
    return fail(error);
  db.reset(); // the run below may take a while; hold no read snapshot

  // The recorded text, not the file: the file may have changed since.
  auto loaded = load_scenario_text(run->header.scenario_text, run->header.file);
  if (!loaded.value) {
    for (const auto& e : loaded.errors)
      std::cerr << e.to_string() << "\n";
    return fail(fmt::format("the recorded scenario of run {} no longer "
                            "loads",
                            s.run_id));
  }

  std::vector<std::string> recorded;
  recorded.reserve(recorded_rows.size());
  for (auto& r : recorded_rows)
    recorded.push_back(std::move(r.line));

  // Not recorded: a replay only compares (the runner's recorder still
  // takes the events, so the trace is the recorded run's).
  run_options opt;
  opt.seed = run->header.seed;
  opt.explore = *explore;
  opt.kind = "replay";
  opt.trace_lines_max = std::max(opt.trace_lines_max, recorded.size());
  auto out = run_scenario(*loaded.value, opt);
  if (!out.error.empty())
    std::cerr << fmt::format("execsim replay: note: the replay stopped "
                             "early: {}\n",
                             out.error);

  // The recording may keep fewer lines than the run had (trace_lines_max):
  // only that prefix can be compared line by line; the digest covers all.
  auto replayed = out.trace;
  if (out.digest == run->digest && replayed.size() > recorded.size())
    replayed.resize(recorded.size());
  auto d = first_difference(recorded, replayed);
  if (out.digest == run->digest && d.line == 0) {
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
                           run->digest, out.digest);
  return exit_fail;
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
    ->capture_default_str();
  cmd->callback([s, &chosen] { chosen = [s] { return replay_command(*s); }; });
}

} // namespace execsim::cli
