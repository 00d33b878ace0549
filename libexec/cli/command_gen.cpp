// `execsim gen-market` and `execsim gen-orders`: deterministic synthetic
// backtest data (sim/backtest/generate.hpp). Same options => same bytes.
#include "libexec/cli/commands.hpp"
#include "libexec/cli/option_checks.hpp"

#include "libexec/backtest/generate.hpp"
#include "libexec/backtest/market_reader.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <memory>
#include <system_error>

namespace execsim::cli {

namespace {

struct market_options {
  std::string symbols = "AAPL,MSFT";
  std::uint64_t rows = 1000;
  std::uint64_t seed = 1;
  std::string start = "2025-10-17T14:30:00Z";
  std::string interval = "100ms";
  std::string output = "-";
};

struct orders_options {
  market_options market;
  std::string market_file;
  std::uint64_t orders = 100;
  bool skip_bad_rows = false;
};

/// The market parameters from the options; false (message printed) if one
/// is bad.
bool market_params_of(const market_options& o, backtest::market_params& p) {
  p.symbols.clear();
  std::string_view rest = o.symbols;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto name = rest.substr(0, comma);
    if (name.empty()) {
      std::cerr << "--symbols: empty symbol name in \"" << o.symbols << "\"\n";
      return false;
    }
    p.symbols.emplace_back(name);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
  }
  if (p.symbols.empty()) {
    std::cerr << "--symbols: give at least one symbol\n";
    return false;
  }
  std::string error;
  auto start = backtest::parse_timestamp(o.start, error);
  if (!start) {
    std::cerr << "--start: " << error << "\n";
    return false;
  }
  auto interval = parse_duration(o.interval, error);
  if (!interval) {
    std::cerr << "--interval: " << error << "\n";
    return false;
  }
  p.rows = o.rows;
  p.seed = o.seed;
  p.start = *start;
  p.interval = *interval;
  return true;
}

/// Runs `write` on the output file ("-" = stdout); exit status.
template <class Write>
int with_output(const std::string& path, const char* command, Write write) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file{nullptr, &std::fclose};
  std::FILE* out = stdout;
  if (path != "-") {
    file.reset(std::fopen(path.c_str(), "wb"));
    if (!file) {
      std::cerr << fmt::format("execsim {}: {}: cannot open ({})\n", command,
                               path, std::generic_category().message(errno));
      return exit_bad_input;
    }
    out = file.get();
  }
  std::string error;
  if (!write(out, error)) {
    std::cerr << fmt::format("execsim {}: {}: {}\n", command, path, error);
    return exit_bad_input;
  }
  return exit_pass;
}

int gen_market(const market_options& o) {
  backtest::market_params p;
  if (!market_params_of(o, p))
    return exit_bad_input;
  return with_output(o.output, "gen-market",
                     [&](std::FILE* out, std::string& error) {
                       backtest::market_generator quotes{p};
                       return backtest::write_market_csv(quotes, out, error);
                     });
}

/// A market file that stops at a bad row, as a stream for the generator;
/// the first error it met is kept for the caller.
class checked_market final : public backtest::quote_stream {
public:
  checked_market(const std::string& path, bool skip, std::string& error)
    : reader_(path, skip), error_(error) {
  }
  bool next(backtest::quote& q) override {
    if (reader_.next(q))
      return true;
    if (error_.empty())
      error_ = reader_.report().error;
    return false;
  }

private:
  backtest::market_reader reader_;
  std::string& error_;
};

int gen_orders(const orders_options& o) {
  backtest::order_params op;
  op.orders = o.orders;
  op.seed = o.market.seed;
  backtest::quote_source source;
  std::string market_error;
  if (!o.market_file.empty()) {
    source = [&]() -> std::unique_ptr<backtest::quote_stream> {
      return std::make_unique<checked_market>(o.market_file, o.skip_bad_rows,
                                              market_error);
    };
  } else {
    backtest::market_params p;
    if (!market_params_of(o.market, p))
      return exit_bad_input;
    source = [p]() -> std::unique_ptr<backtest::quote_stream> {
      return std::make_unique<backtest::market_generator>(p);
    };
  }
  auto status = with_output(o.market.output, "gen-orders",
                            [&](std::FILE* out, std::string& error) {
                              return backtest::write_orders_csv(source, op,
                                                                out, error);
                            });
  if (!market_error.empty()) {
    std::cerr << market_error << "\n";
    return exit_bad_input;
  }
  return status;
}

void add_market_options(CLI::App* cmd, market_options& o, bool generated) {
  auto* symbols = cmd->add_option("--symbols", o.symbols,
                                  "Comma-separated symbols");
  auto* rows = cmd->add_option("--rows", o.rows, "Quotes in all");
  auto* start = cmd->add_option("--start", o.start,
                                "Timestamp of the first quotes (ISO 8601)");
  auto* interval = cmd->add_option("--interval", o.interval,
                                   "Time between quotes of one symbol");
  for (auto* opt : {symbols, rows, start, interval}) {
    opt->capture_default_str();
    if (!generated)
      opt->group("Generated market (without --market)");
  }
  cmd->add_option("--seed", o.seed, "Seed")
    ->check(seed_check())
    ->capture_default_str();
  cmd->add_option("-o,--output", o.output, "Output file (- = stdout)")
    ->capture_default_str();
}

} // namespace

void add_gen_commands(CLI::App& app, action& chosen) {
  auto m = std::make_shared<market_options>();
  auto* market = app.add_subcommand(
    "gen-market", "Generate synthetic quotes (a seeded random walk)");
  add_market_options(market, *m, true);
  market->callback([m, &chosen] { chosen = [m] { return gen_market(*m); }; });

  auto o = std::make_shared<orders_options>();
  auto* orders = app.add_subcommand(
    "gen-orders", "Generate a synthetic order stream matching a market");
  orders->add_option("--market", o->market_file,
                     "Quotes CSV to price the orders from (default: the "
                     "generated market of the same options)");
  orders->add_option("--orders", o->orders, "Orders in all")
    ->capture_default_str();
  orders->add_flag("--skip-bad-rows", o->skip_bad_rows,
                   "Skip bad rows of --market instead of stopping");
  add_market_options(orders, o->market, false);
  orders->callback([o, &chosen] { chosen = [o] { return gen_orders(*o); }; });
}

} // namespace execsim::cli
