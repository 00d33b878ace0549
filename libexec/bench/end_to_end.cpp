#include "libexec/bench/end_to_end.hpp"

#include "libexec/bench/bench_scenario.hpp"
#include "libexec/bench/stopwatch.hpp"
#include "sim/records.hpp"
#include "libexec/run/runner.hpp"
#include "sim/runtime.hpp"

namespace execsim::bench {

namespace {

std::string problem_of(const run_outcome& out) {
  if (!out.error.empty())
    return out.error;
  if (!out.violations.empty())
    return "invariant " + out.violations.front().invariant + " violated";
  if (!out.check_failures.empty())
    return out.check_failures.front();
  if (!out.failures.empty())
    return out.failures.front().order + ": " + out.failures.front().message;
  return "";
}

} // namespace

e2e_result measure_e2e(std::uint64_t n, bool faulted, recording* db) {
  auto sc = bench_scenario(faulted);
  generated_orders orders{n};
  run_options opt;
  opt.source = &orders;
  opt.db = db;
  opt.explore = faulted;
  runtime rt; // created outside the clock: CAF's start-up is not per order

  stopwatch sw;
  auto out = run_scenario(sc, opt, &rt);
  e2e_result r;
  r.seconds = sw.seconds();
  r.cpu_seconds = sw.cpu_seconds();
  r.writer_cpu_seconds = out.writer_cpu_seconds;
  r.orders = out.orders;
  r.successes = out.successes;
  r.faults_fired = out.faults_fired;
  r.steps = out.steps;
  r.virtual_end = out.virtual_end;
  r.pass = out.pass;
  r.problem = problem_of(out);
  return r;
}

row_shape measure_rows(std::uint64_t n, bool faulted) {
  auto sc = bench_scenario(faulted);
  generated_orders orders{n};
  row_batch rows;
  run_options opt;
  opt.source = &orders;
  opt.capture = &rows;
  opt.explore = faulted;
  run_scenario(sc, opt);
  row_shape s;
  s.orders = rows.orders.size();
  s.attempts = rows.attempts.size();
  s.checks = rows.checks.size();
  s.fills = rows.fills.size();
  s.events = rows.events.size();
  s.faults = rows.faults.size();
  s.trace = rows.trace.size();
  return s;
}

} // namespace execsim::bench
