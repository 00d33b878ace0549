// The whole `execsim` command line as a function, so a program of your own
// can register its executors (actors/executor_api.hpp) and then offer every
// execsim command: run, explore, replay, report, backtest, bench.
#pragma once

namespace execsim {

/// Parses argv and runs the chosen command; returns the exit status
/// (0 pass, 1 a run failed, 2 bad input).
int execsim_main(int argc, char** argv);

} // namespace execsim
