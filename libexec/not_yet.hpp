// A subcommand that is declared but not built yet: says so, exits 2.
#pragma once

#include "libexec/commands.hpp"

#include <iostream>

namespace execsim::cli {

inline void not_yet(CLI::App& app, action& chosen, const char* name,
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

} // namespace execsim::cli
