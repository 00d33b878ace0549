#include "libexec/bench/backtest_probe.hpp"

#include "libexec/bench/child_process.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <vector>

namespace execsim::bench {

namespace {

/// The help text of `exe sub`, or "" if it has none (no such command).
std::string help_of(const std::string& exe, const std::string& sub,
                    const std::string& scratch) {
  auto c = run_child({exe, sub, "--help"}, scratch);
  return c.status == 0 ? c.out : std::string{};
}

/// The first of `names` the help text offers as an option, or "".
std::string option_in(const std::string& help,
                      std::initializer_list<const char*> names) {
  for (const char* n : names) {
    std::string name = n;
    for (auto pos = help.find(name); pos != std::string::npos;
         pos = help.find(name, pos + 1)) {
      auto end = pos + name.size();
      bool whole = end == help.size() || help[end] == ' ' || help[end] == ','
                   || help[end] == '=' || help[end] == '\n';
      bool starts = pos == 0 || help[pos - 1] == ' ' || help[pos - 1] == ',';
      if (whole && starts)
        return name;
    }
  }
  return "";
}

struct generator {
  std::string count; // the option taking how many rows
  std::string out;   // the option taking the output file
};

bool find_generator(const std::string& help, bool market, generator& g) {
  g.count = market ? option_in(help, {"--quotes", "--rows", "--count", "-n"})
                   : option_in(help, {"--orders", "--count", "--rows", "-n"});
  g.out = option_in(help, {"--output", "--out", "-o"});
  return !g.count.empty() && !g.out.empty();
}

/// What the binary offers: the backtest's help and both generators'
/// options. False (and r.why_not) when something is missing.
struct commands {
  std::string backtest_help;
  std::string gen_orders_help;
  generator market;
  generator orders;
};

bool find_commands(const std::string& exe, const std::string& scratch,
                   commands& c, backtest_result& r) {
  c.backtest_help = help_of(exe, "backtest", scratch);
  auto gm_help = help_of(exe, "gen-market", scratch);
  c.gen_orders_help = help_of(exe, "gen-orders", scratch);
  // A command declared but not built yet has a help text without options.
  if (option_in(c.backtest_help, {"--market"}).empty()
      || option_in(c.backtest_help, {"--orders"}).empty()) {
    r.why_not = "no backtest command in this build";
    return false;
  }
  if (!find_generator(gm_help, true, c.market)
      || !find_generator(c.gen_orders_help, false, c.orders)) {
    r.why_not = "gen-market/gen-orders options not recognised";
    return false;
  }
  return true;
}

/// Writes the market and order files; false (and r.why_not) on failure.
bool generate_inputs(const std::string& exe, const std::string& scratch,
                     const commands& c, const std::string& market,
                     const std::string& orders, backtest_result& r) {
  auto a = run_child({exe, "gen-market", c.market.count,
                      std::to_string(r.quotes), c.market.out, market},
                     scratch);
  std::vector<std::string> gen_orders{exe,          "gen-orders",
                                      c.orders.count, std::to_string(r.orders),
                                      c.orders.out, orders};
  // Orders priced from (and spread over) the market just generated.
  if (!option_in(c.gen_orders_help, {"--market"}).empty() && a.status == 0) {
    gen_orders.push_back("--market");
    gen_orders.push_back(market);
  }
  auto b = run_child(gen_orders, scratch);
  r.gen_seconds = a.seconds + b.seconds;
  if (a.status == 0 && b.status == 0)
    return true;
  r.status = a.status != 0 ? a.status : b.status;
  r.why_not =
    "generating the input failed: " + (a.status != 0 ? a.err : b.err);
  return false;
}

/// The quotes read and the run's wall time, from the JSON summary.
void read_summary(const std::string& out, backtest_result& r) {
  try { // the summary's layout is the backtest's business: best effort
    auto j = nlohmann::json::parse(out);
    r.quotes_read =
      j.at("inputs").at("market").at("good_rows").get<std::uint64_t>();
    r.run_seconds = j.at("run").at("wall_ms").get<double>() / 1000;
  } catch (const std::exception&) {
    r.quotes_read = 0;
    r.run_seconds = 0;
  }
}

} // namespace

backtest_result measure_backtest(const std::string& exe, std::uint64_t quotes,
                                 const std::string& scratch) {
  backtest_result r;
  commands c;
  if (!find_commands(exe, scratch, c, r))
    return r;
  r.available = true;
  r.quotes = quotes;
  // An order per hundred quotes: the run is dominated by the market data.
  r.orders = std::max<std::uint64_t>(1, quotes / 100);
  auto market = scratch + "/market.csv";
  auto orders = scratch + "/orders.csv";
  auto db = scratch + "/backtest.sqlite";
  if (!generate_inputs(exe, scratch, c, market, orders, r))
    return r;
  std::vector<std::string> backtest{exe,        "backtest", "--market", market,
                                    "--orders", orders,     "--db",     db};
  bool json = !option_in(c.backtest_help, {"--format"}).empty();
  if (json) {
    backtest.push_back("--format");
    backtest.push_back("json");
  }
  auto run = run_child(backtest, scratch);
  r.status = run.status;
  r.seconds = run.seconds;
  r.max_rss_kb = run.max_rss_kb;
  // 1 = a run failed (an invariant, a check): still a measured run.
  if (run.status != 0 && run.status != 1)
    r.why_not =
      "backtest exited " + std::to_string(run.status) + ": " + run.err;
  if (json && r.why_not.empty())
    read_summary(run.out, r);
  return r;
}

} // namespace execsim::bench
