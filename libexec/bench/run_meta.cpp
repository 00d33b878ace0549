#include "libexec/bench/run_meta.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <thread>

namespace execsim::bench {

namespace {

/// The wall-clock date, read here and in the bench's output only: no
/// trace or recording ever carries it, so runs stay deterministic.
std::string utc_now() {
  auto now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
}

} // namespace

std::string build_flavour() {
  return EXECSIM_BUILD_FLAVOUR;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "?" : one;
}

run_meta run_starting(std::uint64_t orders, bool quick) {
  run_meta m;
  m.build = build_flavour();
  m.version = EXECSIM_VERSION;
  m.orders = orders;
  m.quick = quick;
  // hardware_concurrency() may be 0 (unknown); the machine has at least one.
  m.cores = std::max(1u, std::thread::hardware_concurrency());
  m.load_average_start = load_average();
  m.date = utc_now();
  return m;
}

void run_finished(run_meta& m, double seconds) {
  m.load_average_end = load_average();
  m.seconds = seconds;
}

nlohmann::json to_json(const run_meta& m) {
  return {{"build", m.build},
          {"version", m.version},
          {"orders", m.orders},
          {"quick", m.quick},
          {"cores", m.cores},
          {"load_average_start", m.load_average_start},
          {"load_average_end", m.load_average_end},
          {"date", m.date},
          {"seconds", m.seconds}};
}

} // namespace execsim::bench
