#include "libexec/cli/load_warnings.hpp"

#include <iostream>

namespace execsim::cli {

void print_load_warnings(const load_result& loaded) {
  if (loaded.warnings.empty())
    return;
  std::cout.flush(); // keep stdout and stderr lines in order
  for (const auto& w : loaded.warnings)
    std::cerr << w.to_warning_string() << "\n";
  std::cerr.flush();
}

} // namespace execsim::cli
