#include "libexec/not_yet.hpp"

namespace execsim::cli {

void add_gen_commands(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "gen-market", "Generate synthetic quotes");
  not_yet(app, chosen, "gen-orders", "Generate a synthetic order stream");
}

} // namespace execsim::cli
