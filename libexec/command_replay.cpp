#include "libexec/not_yet.hpp"

namespace execsim::cli {

void add_replay_command(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "replay", "Re-run a recorded run and compare digests");
}

} // namespace execsim::cli
