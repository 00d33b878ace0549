// The asyncio harness's rows (#16): the original service's 14 behaviours
// written in plain asyncio, each file a run with its own Python harness
// (start included), and exploration through the harness next to the
// JSON-lines example's as its baseline, measured in the same bench.
#include "libexec/bench/rows.hpp"
#include "libexec/bench/stopwatch.hpp"

#include <fmt/format.h>

namespace execsim::bench {

namespace {

constexpr double asyncio_behaviours_max_s = 1.0;
constexpr double asyncio_seeds_per_s_target = 500;

double rate_of(const explore_result& r) {
  return per_second(static_cast<double>(r.seeds), r.seconds);
}

} // namespace

bench_row asyncio_behaviours_row(const asyncio_suites& r,
                                 const std::string& dir) {
  bench_row row;
  row.key = "asyncio_behaviours";
  row.title = "the 14 via asyncio";
  const char* target_text = "< 1 s incl. Python start";
  if (!r.process || !r.warm) {
    row.figure = "n/a (no " + dir + ")";
    row.targets.push_back({target_text, verdict::not_available});
    return row;
  }
  const auto& p = *r.process;
  const auto& w = *r.warm;
  row.figure = fmt::format("{} wall, start to exit ({} files, {} virtual)",
                           seconds_text(p.seconds), p.files,
                           format_seconds(w.virtual_total));
  row.targets.push_back({target_text, p.status == 0
                                          && p.seconds
                                               < asyncio_behaviours_max_s
                                        ? verdict::met
                                        : verdict::missed});
  std::vector<std::string> passes;
  for (auto x : p.passes)
    passes.push_back(seconds_text(x));
  row.notes.push_back(fmt::format(
    "`execsim run` of {} as a process (execsim's, CAF's and the Python "
    "harness's start in): median of {} ({}), exit {}: {}",
    dir, passes.size(), fmt::join(passes, ", "), p.status, p.summary));
  row.notes.push_back(fmt::format(
    "in this process, the interpreter already started: {} for the {} runs "
    "({} of {} passed)",
    seconds_text(w.seconds), w.files, w.passed, w.files));
  for (const auto& problem : w.problems)
    row.notes.push_back("problem: " + problem);
  row.data = {{"dir", dir},
              {"files", w.files},
              {"passed", w.passed},
              {"seconds", p.seconds},
              {"passes_seconds", p.passes},
              {"exit_status", p.status},
              {"warm_seconds", w.seconds},
              {"virtual_s", static_cast<double>(w.virtual_total) / ns_per_s}};
  return row;
}

bench_row asyncio_explore_row(const explore_result& harness,
                              const std::string& harness_file,
                              const explore_result& json_lines,
                              const std::string& json_lines_file) {
  bench_row row;
  row.key = "asyncio_exploration";
  row.title = "exploration via asyncio (1 job)";
  const char* beat = ">= the JSON-lines example";
  const char* aim = ">= 500 seeds/s";
  if (!harness.error.empty()) {
    row.figure = "n/a (" + harness.error + ")";
    row.targets.push_back({beat, verdict::not_available});
    row.targets.push_back({aim, verdict::not_available});
    return row;
  }
  auto rate = rate_of(harness);
  auto base = json_lines.error.empty() ? rate_of(json_lines) : 0.0;
  row.figure = fmt::format("{} seeds/s (JSON-lines example: {})",
                           grouped(rate),
                           json_lines.error.empty()
                             ? grouped(base) + " seeds/s"
                             : "n/a, " + json_lines.error);
  row.targets.push_back(
    {beat, !json_lines.error.empty() ? verdict::not_available
           : rate >= base            ? verdict::met
                                     : verdict::missed});
  row.targets.push_back({aim, rate >= asyncio_seeds_per_s_target
                                ? verdict::met
                                : verdict::missed});
  for (const auto* r : {&harness, &json_lines})
    if (r->error.empty())
      row.notes.push_back(fmt::format(
        "{}: {} seeds in {} wall, {} CPU in execsim (the Python child's not "
        "counted), {} failing",
        r == &harness ? harness_file : json_lines_file,
        grouped(static_cast<double>(r->seeds)), seconds_text(r->seconds),
        seconds_text(r->cpu_seconds), r->failing_seeds));
  row.data = {{"file", harness_file},
              {"seeds", harness.seeds},
              {"seconds", harness.seconds},
              {"seeds_per_s", rate},
              {"failing_seeds", harness.failing_seeds},
              {"baseline_file", json_lines_file},
              {"baseline_seeds", json_lines.seeds},
              {"baseline_seconds", json_lines.seconds},
              {"baseline_seeds_per_s", base},
              {"baseline_error", json_lines.error}};
  return row;
}

} // namespace execsim::bench
