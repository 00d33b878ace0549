#include "libexec/bench/rows.hpp"
#include "libexec/bench/stopwatch.hpp"

#include <fmt/format.h>

namespace execsim::bench {

namespace {

constexpr double behaviours_max_s = 0.050;
constexpr double seeds_per_s_target = 1000;

} // namespace

bench_row behaviours_row(const std::optional<suite_result>& r,
                         const std::string& dir) {
  bench_row row;
  row.key = "original_behaviours";
  row.title = "original service's 14";
  if (!r) {
    row.figure = "n/a (no " + dir + ")";
    row.targets.push_back({"< 50 ms", verdict::not_available});
    return row;
  }
  row.figure =
    fmt::format("{} wall for {} virtual ({} files)", seconds_text(r->seconds),
                format_seconds(r->virtual_total), r->files);
  std::vector<std::string> passes;
  for (auto p : r->passes)
    passes.push_back(seconds_text(p));
  row.targets.push_back({"< 50 ms", r->seconds < behaviours_max_s
                                      ? verdict::met
                                      : verdict::missed});
  row.notes.push_back(fmt::format(
    "{} of {} passed; vs 1.35 s (the Python suite, shortened backoffs) and "
    "~7.3 s (real time of its exhausted-retry path): {:.0f}x and {:.0f}x "
    "faster",
    r->passed, r->files, 1.35 / r->seconds, 7.3 / r->seconds));
  row.notes.push_back(fmt::format(
    "load + run + check + record, a runtime per file as `execsim run`: median "
    "of {} passes ({}); on one shared runtime: {}",
    r->passes.size(), fmt::join(passes, ", "),
    seconds_text(r->seconds_shared_runtime)));
  for (const auto& p : r->problems)
    row.notes.push_back("problem: " + p);
  row.data = {{"files", r->files},
              {"passed", r->passed},
              {"seconds", r->seconds},
              {"passes_seconds", r->passes},
              {"seconds_shared_runtime", r->seconds_shared_runtime},
              {"virtual_s", static_cast<double>(r->virtual_total) / ns_per_s},
              {"python_suite_s", 1.35},
              {"python_real_time_s", 7.3}};
  return row;
}

bench_row explore_row(const explore_result& r, const std::string& file) {
  bench_row row;
  row.key = "exploration";
  row.title = "exploration (1 job)";
  if (!r.error.empty()) {
    row.figure = "n/a (" + r.error + ")";
    row.targets.push_back({">= 1,000 seeds/s/core", verdict::not_available});
    return row;
  }
  auto rate = per_second(static_cast<double>(r.seeds), r.seconds);
  row.figure = grouped(rate) + " seeds/s";
  row.targets.push_back({">= 1,000 seeds/s/core", rate >= seeds_per_s_target
                                                    ? verdict::met
                                                    : verdict::missed});
  row.notes.push_back(fmt::format(
    "{}: {} seeds in {} ({} CPU), {} failing "
    "(expected: the original service's residual "
    "risks)",
    file, grouped(static_cast<double>(r.seeds)), seconds_text(r.seconds),
    seconds_text(r.cpu_seconds), r.failing_seeds));
  row.data = {{"file", file},         {"seeds", r.seeds},
              {"seconds", r.seconds}, {"cpu_seconds", r.cpu_seconds},
              {"seeds_per_s", rate},  {"failing_seeds", r.failing_seeds}};
  return row;
}

bench_row backtest_row(const backtest_result& r) {
  bench_row row;
  row.key = "backtest";
  row.title = "backtest";
  row.data = {{"available", r.available}, {"why_not", r.why_not}};
  if (!r.available || !r.why_not.empty()) {
    row.figure = "n/a (" + r.why_not + ")";
    return row;
  }
  auto rate = per_second(static_cast<double>(r.quotes), r.seconds);
  row.figure = grouped(rate) + " quotes/s";
  row.notes.push_back(fmt::format(
    "{} quotes and {} orders (generated in {}); `execsim backtest` process "
    "{} start to exit (exit {}), peak RSS {:.1f} MiB",
    grouped(static_cast<double>(r.quotes)),
    grouped(static_cast<double>(r.orders)), seconds_text(r.gen_seconds),
    seconds_text(r.seconds), r.status,
    static_cast<double>(r.max_rss_kb) / 1024));
  if (r.quotes_read > 0 && r.run_seconds > 0)
    row.notes.push_back(fmt::format(
      "the backtest's own summary: {} quotes read, run {} = {} quotes/s "
      "without process start, recording open and exit",
      grouped(static_cast<double>(r.quotes_read)), seconds_text(r.run_seconds),
      grouped(per_second(static_cast<double>(r.quotes_read), r.run_seconds))));
  row.data.update({{"quotes_read", r.quotes_read},
                   {"run_seconds", r.run_seconds},
                   {"quotes", r.quotes},
                   {"orders", r.orders},
                   {"seconds", r.seconds},
                   {"quotes_per_s", rate},
                   {"exit_status", r.status},
                   {"max_rss_kb", r.max_rss_kb}});
  return row;
}

} // namespace execsim::bench
