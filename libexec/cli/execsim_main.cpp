// The execsim command line: one subcommand per file (command_*.cpp).
#include "libexec/cli/execsim_main.hpp"

#include "libexec/cli/commands.hpp"

#include <fmt/format.h>

#include <iostream>

namespace execsim {

int execsim_main(int argc, char** argv) {
  return cli::run_cli(argc, argv, {});
}

namespace cli {

int run_cli(int argc, char** argv, const std::vector<command_adder>& extra) {
  CLI::App app{"execsim: deterministic simulation of order execution under "
               "faults, in virtual time, recorded in SQLite"};
  app.set_version_flag("--version",
                       fmt::format("execsim {} ({})", EXECSIM_VERSION,
                                   EXECSIM_BUILD_FLAVOUR));
  app.name("execsim");
  app.require_subcommand(1);
  action chosen;
  add_run_command(app, chosen);
  add_replay_command(app, chosen);
  add_report_command(app, chosen);
  add_explore_command(app, chosen);
  add_conformance_command(app, chosen);
  add_backtest_command(app, chosen);
  add_gen_commands(app, chosen);
  add_merge_command(app, chosen);
  for (auto add : extra)
    add(app, chosen);
  if (argc > 1 && argv[1][0] != '-') {
    try {
      app.get_subcommand(argv[1]);
    } catch (const CLI::OptionNotFound&) {
      std::cerr << "execsim: unknown command \"" << argv[1] << "\"\n\n"
                << app.help();
      return exit_bad_input;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    if (argc == 1)
      std::cerr << "\n" << app.help();
    return exit_bad_input; // usage errors are bad input
  }
  if (!chosen)
    return exit_bad_input;
  try {
    return chosen();
  } catch (const std::exception& e) {
    std::cerr << "execsim: " << e.what() << "\n";
    return exit_bad_input;
  }
}

} // namespace cli
} // namespace execsim
