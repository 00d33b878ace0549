#include "libexec/backtest/backtest.hpp"

#include "libexec/backtest/csv_order_source.hpp"
#include "libexec/backtest/market_reader.hpp"
#include "libexec/backtest/order_reader.hpp"

#include "sim/assert.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>

namespace execsim::backtest {

namespace {

/// Generous room past the last timestamp for retries, backoffs and
/// timeouts of the last orders.
constexpr ns_t virtual_margin = 24 * 3600 * ns_per_s;

/// The longest time the input files may span (2^61 ns, about 73 years):
/// the run's times (a timestamp plus latencies, timeouts and backoffs, each
/// at most a quarter of the 64-bit range) must never overflow.
constexpr ns_t span_max = std::numeric_limits<ns_t>::max() / 4;

void note_ts(input_figures& f, epoch_ns ts) {
  ++f.good_rows;
  if (!f.first_ts)
    f.first_ts = ts;
  f.last_ts = ts;
}

input_figures scan_market(const backtest_inputs& in) {
  input_figures f;
  market_reader reader{in.market_file, in.skip_bad_rows};
  quote q;
  while (reader.next(q))
    note_ts(f, q.ts);
  f.report = reader.report();
  return f;
}

input_figures scan_orders(const backtest_inputs& in) {
  input_figures f;
  order_reader reader{in.orders_file, in.skip_bad_rows};
  order_line o;
  while (reader.next(o))
    note_ts(f, o.ts);
  f.report = reader.report();
  return f;
}

/// The virtual time limit of a run over timestamps [first, last]: `base`
/// or the span plus the margin, whichever is more. Sets `error` instead
/// when the span is longer than span_max allows.
ns_t virtual_limit(epoch_ns first, epoch_ns last, ns_t base,
                   std::string& error) {
  // Timestamps are >= 0 (parse_timestamp), so this cannot overflow.
  EXECSIM_ASSERT(first >= 0 && last >= first);
  ns_t span = last - first;
  if (span > span_max - virtual_margin) {
    error = fmt::format("the input files span {} (from {} to {}), more than "
                        "a backtest can run in virtual time (at most {}s, "
                        "about 73 years)",
                        format_duration(span), format_timestamp(first),
                        format_timestamp(last),
                        (span_max - virtual_margin) / ns_per_s);
    return base;
  }
  return std::max(base, span + virtual_margin);
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

} // namespace

scenario backtest_settings(std::optional<scenario> settings,
                           const backtest_inputs& in) {
  scenario sc = settings ? std::move(*settings) : scenario{};
  sc.orders.clear();
  sc.expects.clear();
  sc.checks.clear();
  sc.expect_violations.clear();
  sc.exchange.prices.clear(); // the quotes are the market
  auto what = fmt::format("backtest {} + {}", file_name(in.market_file),
                          file_name(in.orders_file));
  sc.name = settings ? fmt::format("{} ({})", sc.name, what) : what;
  return sc;
}

backtest_result run_backtest(const scenario& settings,
                             const backtest_inputs& in,
                             const backtest_options& opt) {
  backtest_result result;
  result.market = scan_market(in);
  result.orders = scan_orders(in);
  for (const auto* f : {&result.market, &result.orders})
    if (!f->report.error.empty()) {
      result.error = f->report.error;
      return result;
    }
  std::optional<epoch_ns> first = result.market.first_ts;
  if (result.orders.first_ts)
    first = first ? std::min(*first, *result.orders.first_ts)
                  : result.orders.first_ts;
  std::optional<epoch_ns> last = result.market.last_ts;
  if (result.orders.last_ts)
    last = last ? std::max(*last, *result.orders.last_ts)
                : result.orders.last_ts;
  result.origin = first.value_or(0);
  ns_t limit = virtual_limit(result.origin, last.value_or(result.origin),
                             run_limits{}.virtual_ns_max, result.error);
  if (!result.error.empty())
    return result;

  market_reader quotes{in.market_file, in.skip_bad_rows};
  order_reader orders{in.orders_file, in.skip_bad_rows};
  csv_order_source source{orders, result.origin};
  execution_stats stats;
  backtest_extension market{quotes, result.origin, stats, opt.progress,
                            opt.progress_every};
  source.on_take([&](const order_spec& spec) { market.note_arrival(spec); });

  run_options ro;
  ro.seed = opt.seed;
  ro.explore = settings.explore.present;
  ro.db = opt.db;
  ro.capture = opt.capture;
  ro.kind = "backtest";
  ro.trace_lines_max = opt.trace_lines_max;
  ro.source = &source;
  ro.extension = &market;
  ro.limits.virtual_ns_max = limit;
  result.run = run_scenario(settings, ro);
  if (opt.progress) {
    auto done = market.progress();
    done.virtual_now = result.run.virtual_end;
    opt.progress(done);
  }

  // The first pass read the same files: a difference now means a file
  // changed under the run.
  for (const auto* r : {&quotes.report(), &orders.report()})
    if (!r->error.empty() && result.run.error.empty())
      result.run.error = "input changed during the run: " + r->error;
  result.figures = stats.figures();
  return result;
}

} // namespace execsim::backtest
