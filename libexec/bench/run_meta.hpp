// Which run a bench's figures came from: the build, the size, the machine
// and when. It goes into the JSON's "meta" object, so the README's table
// can name its run from the JSON alone.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace execsim::bench {

struct run_meta {
  std::string build;   // "Release", "Debug+asan+ubsan"
  std::string version; // execsim's
  std::uint64_t orders = 0;
  bool quick = false;
  unsigned cores = 1;
  std::string load_average_start; // "/proc/loadavg"'s first field, or "?"
  std::string load_average_end;
  std::string date; // UTC, "2025-01-31T12:34:56Z": when the run started
  double seconds = 0;
};

/// The meta of a run starting now: everything but the end's load average
/// and the duration.
run_meta run_starting(std::uint64_t orders, bool quick);

/// Fills in the end's load average and the duration.
void run_finished(run_meta& m, double seconds);

/// {"build", "version", "orders", "quick", "cores", "load_average_start",
///  "load_average_end", "date", "seconds"}
nlohmann::json to_json(const run_meta& m);

/// The build type with its instrumentation, as the banner prints it.
std::string build_flavour();

/// The 1-minute load average now: wall-clock figures on a busy machine
/// are slower than its CPU-time figures.
std::string load_average();

} // namespace execsim::bench
