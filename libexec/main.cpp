// execsim: test order-execution code against a simulated exchange under
// injected faults, in virtual time, and record everything in SQLite.
// The program is the installed command line plus `bench`, which lives in
// libexec/bench/ and in no installed library.
#include "libexec/bench/command_bench.hpp"
#include "libexec/cli/commands.hpp"

int main(int argc, char** argv) {
  return execsim::cli::run_cli(argc, argv, {&execsim::cli::add_bench_command});
}
