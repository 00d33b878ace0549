#include "libexec/bench/scaling.hpp"

#include "libexec/bench/child_process.hpp"
#include "libexec/bench/end_to_end.hpp"
#include "sim/recording.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace execsim::bench {

scaling_point measure_scaling(const std::string& exe, std::uint64_t n,
                              const std::string& scratch) {
  scaling_point p;
  p.orders = n;
  auto c = run_child(
    {exe, "bench", "--scaling-one", std::to_string(n), "--scratch", scratch},
    scratch);
  p.max_rss_kb = c.max_rss_kb;
  if (c.status != 0) {
    p.error = "child exited " + std::to_string(c.status) + ": " + c.err;
    return p;
  }
  try {
    auto j = nlohmann::json::parse(c.out);
    p.seconds = j.at("seconds").get<double>();
    p.cpu_seconds = j.at("cpu_seconds").get<double>();
    p.steps = j.at("steps").get<std::uint64_t>();
    p.virtual_end = j.at("virtual_end_ns").get<ns_t>();
    p.vm_hwm_kb = j.at("vm_hwm_kb").get<std::int64_t>();
    p.pass = j.at("pass").get<bool>();
  } catch (const std::exception& e) {
    p.error = std::string("unreadable child answer: ") + e.what();
  }
  return p;
}

int scaling_child(std::uint64_t n, const std::string& scratch) {
  std::string error;
  auto db = recording::open(
    scratch + "/scaling-" + std::to_string(n) + ".sqlite", error);
  if (!db) {
    std::cerr << error << "\n";
    return 2;
  }
  auto r = measure_e2e(n, false, db.get());
  nlohmann::json j = {{"orders", r.orders},
                      {"steps", r.steps},
                      {"seconds", r.seconds},
                      {"cpu_seconds", r.cpu_seconds},
                      {"virtual_end_ns", r.virtual_end},
                      {"pass", r.pass},
                      {"problem", r.problem},
                      {"vm_hwm_kb", self_peak_rss_kb()}};
  std::cout << j.dump() << "\n";
  return 0;
}

} // namespace execsim::bench
