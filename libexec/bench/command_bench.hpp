// `execsim bench`: registered by the execsim program only (libexec/main.cpp).
#pragma once

#include "libexec/cli/commands.hpp"

namespace execsim::cli {

void add_bench_command(CLI::App& app, action& chosen);

} // namespace execsim::cli
