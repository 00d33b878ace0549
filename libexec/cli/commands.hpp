// The `execsim` subcommands. Each registers its options on the CLI11 app
// and returns the exit status when it runs: 0 pass, 1 fail, 2 bad input.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace execsim::cli {

/// Set by the chosen subcommand's callback; main returns it.
using action = std::function<int()>;

void add_run_command(CLI::App& app, action& chosen);
void add_replay_command(CLI::App& app, action& chosen);
void add_report_command(CLI::App& app, action& chosen);
void add_explore_command(CLI::App& app, action& chosen);
void add_backtest_command(CLI::App& app, action& chosen);
void add_gen_commands(CLI::App& app, action& chosen);
void add_merge_command(CLI::App& app, action& chosen);
void add_conformance_command(CLI::App& app, action& chosen);

/// Registers one more subcommand (the execsim program adds `bench`, which
/// no installed library carries).
using command_adder = void (*)(CLI::App& app, action& chosen);

/// The command line with every standard subcommand and `extra` ones.
int run_cli(int argc, char** argv, const std::vector<command_adder>& extra);

/// Exit statuses of every command.
constexpr int exit_pass = 0;
constexpr int exit_fail = 1;
constexpr int exit_bad_input = 2;

} // namespace execsim::cli
