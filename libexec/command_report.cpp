#include "libexec/not_yet.hpp"

namespace execsim::cli {

void add_report_command(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "report", "Print a run's timeline");
}

} // namespace execsim::cli
