// execsim: test order-execution code against a simulated exchange under
// injected faults, in virtual time, and record everything in SQLite.
#include "libexec/execsim_main.hpp"

int main(int argc, char** argv) {
  return execsim::execsim_main(argc, argv);
}
