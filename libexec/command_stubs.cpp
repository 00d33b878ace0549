// Subcommands not built yet: they say so and exit 2.
#include "libexec/commands.hpp"

#include <iostream>

namespace execsim::cli {

namespace {

void not_yet(CLI::App& app, action& chosen, const char* name,
             const char* what) {
  auto* cmd = app.add_subcommand(name, what);
  cmd->allow_extras();
  cmd->callback([&chosen, name] {
    chosen = [name] {
      std::cerr << "execsim " << name << ": not available in this build yet\n";
      return exit_bad_input;
    };
  });
}

} // namespace

void add_replay_command(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "replay", "Re-run a recorded run and compare digests");
}
void add_report_command(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "report", "Print a run's timeline");
}
void add_explore_command(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "explore", "Run a scenario under random faults");
}
void add_backtest_command(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "backtest", "Replay market data and orders");
}
void add_gen_commands(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "gen-market", "Generate synthetic quotes");
  not_yet(app, chosen, "gen-orders", "Generate a synthetic order stream");
}
void add_bench_command(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "bench", "Measure throughput against baselines");
}

} // namespace execsim::cli
