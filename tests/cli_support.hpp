// Running the execsim program as a user does, from the tests.
#pragma once

#include "tests/test_support.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <string>
#include <sys/wait.h>

namespace execsim::testing {

struct cli_result {
  int status = -1;
  std::string out;
};

/// Runs `execsim ARGS` in `cwd` (stdout and stderr together, both not a
/// terminal).
inline cli_result execsim_cli_in(const std::string& cwd, const scratch_dir& dir,
                                 const std::string& args) {
  auto out = dir.file("cli-out.txt");
  auto cmd = fmt::format("cd '{}' && {} {} > {} 2>&1 < /dev/null", cwd,
                         EXECSIM_BINARY, args, out);
  auto status = std::system(cmd.c_str());
  cli_result r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  return r;
}

/// Runs `execsim ARGS` in the source tree.
inline cli_result execsim_cli(const scratch_dir& dir, const std::string& args) {
  return execsim_cli_in(EXECSIM_SOURCE_DIR, dir, args);
}

/// Runs an SQL script on a database with the sqlite3 program.
inline int sqlite3_cli(const std::string& db, const std::string& sql) {
  auto cmd = fmt::format("sqlite3 '{}' \"{}\"", db, sql);
  auto status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace execsim::testing
