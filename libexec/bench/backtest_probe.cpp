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

} // namespace

backtest_result measure_backtest(const std::string& exe, std::uint64_t quotes,
                                 const std::string& scratch) {
  backtest_result r;
  auto bt_help = help_of(exe, "backtest", scratch);
  auto gm_help = help_of(exe, "gen-market", scratch);
  auto go_help = help_of(exe, "gen-orders", scratch);
  generator gm;
  generator go;
  // A command declared but not built yet has a help text without options.
  if (option_in(bt_help, {"--market"}).empty()
      || option_in(bt_help, {"--orders"}).empty()) {
    r.why_not = "no backtest command in this build";
    return r;
  }
  if (!find_generator(gm_help, true, gm)
      || !find_generator(go_help, false, go)) {
    r.why_not = "gen-market/gen-orders options not recognised";
    return r;
  }
  r.available = true;
  r.quotes = quotes;
  // An order per hundred quotes: the run is dominated by the market data.
  r.orders = std::max<std::uint64_t>(1, quotes / 100);
  auto market = scratch + "/market.csv";
  auto orders = scratch + "/orders.csv";
  auto db = scratch + "/backtest.sqlite";

  auto a = run_child(
    {exe, "gen-market", gm.count, std::to_string(quotes), gm.out, market},
    scratch);
  std::vector<std::string> gen_orders{
    exe, "gen-orders", go.count, std::to_string(r.orders), go.out, orders};
  // Orders priced from (and spread over) the market just generated.
  if (!option_in(go_help, {"--market"}).empty() && a.status == 0) {
    gen_orders.push_back("--market");
    gen_orders.push_back(market);
  }
  auto b = run_child(gen_orders, scratch);
  r.gen_seconds = a.seconds + b.seconds;
  if (a.status != 0 || b.status != 0) {
    r.status = a.status != 0 ? a.status : b.status;
    r.why_not =
      "generating the input failed: " + (a.status != 0 ? a.err : b.err);
    return r;
  }
  std::vector<std::string> backtest{exe,        "backtest", "--market", market,
                                    "--orders", orders,     "--db",     db};
  bool json = !option_in(bt_help, {"--format"}).empty();
  if (json) {
    backtest.push_back("--format");
    backtest.push_back("json");
  }
  auto c = run_child(backtest, scratch);
  r.status = c.status;
  r.seconds = c.seconds;
  r.max_rss_kb = c.max_rss_kb;
  // 1 = a run failed (an invariant, a check): still a measured run.
  if (c.status != 0 && c.status != 1)
    r.why_not = "backtest exited " + std::to_string(c.status) + ": " + c.err;
  if (json && r.why_not.empty()) {
    try { // the summary's layout is the backtest's business: best effort
      auto j = nlohmann::json::parse(c.out);
      r.quotes_read =
        j.at("inputs").at("market").at("good_rows").get<std::uint64_t>();
      r.run_seconds = j.at("run").at("wall_ms").get<double>() / 1000;
    } catch (const std::exception&) {
      r.quotes_read = 0;
      r.run_seconds = 0;
    }
  }
  return r;
}

} // namespace execsim::bench
