#include "libexec/not_yet.hpp"

namespace execsim::cli {

void add_bench_command(CLI::App& app, action& chosen) {
  not_yet(app, chosen, "bench", "Measure throughput against baselines");
}

} // namespace execsim::cli
