#include "libexec/not_yet.hpp"

namespace execsim::cli {

void add_backtest_command(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "backtest", "Replay market data and orders");
}

} // namespace execsim::cli
