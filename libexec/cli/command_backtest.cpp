// `execsim backtest --market FILE --orders FILE [--scenario FILE]`: replays
// historical quotes and an order stream through the executor and the
// simulated exchange, records the run (kind "backtest") and prints its
// execution quality. Exit 0 pass, 1 the run failed (an invariant was
// violated, a limit was hit), 2 bad input.
#include "libexec/cli/commands.hpp"
#include "libexec/cli/option_checks.hpp"

#include "libexec/backtest/backtest.hpp"
#include "libexec/backtest/summary_text.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include <unistd.h>

namespace execsim::cli {

namespace {

struct backtest_settings {
  backtest::backtest_inputs in;
  std::string scenario_file;
  std::string db = "execsim.sqlite";
  std::optional<std::uint64_t> seed;
  std::string format = "text";
  bool no_progress = false;
};

/// The progress line on a terminal: rewritten in place at most 4 times a
/// second. The wall clock is read here only, never inside the simulation.
class progress_line {
public:
  explicit progress_line(bool on) : on_(on && isatty(STDERR_FILENO) == 1) {
  }
  ~progress_line() {
    clear();
  }

  /// Erases the line (before the summary is printed).
  void clear() {
    if (shown_)
      std::fputs("\r\033[K", stderr);
    shown_ = false;
    on_ = false;
  }
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;

  void update(const backtest::progress_info& p) {
    if (!on_)
      return;
    auto now = clock::now();
    if (shown_ && now - last_ < std::chrono::milliseconds(250))
      return;
    last_ = now;
    shown_ = true;
    auto s = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr,
                 "\r\033[K  %llu quotes (%.0f rows/s), %llu orders sent, "
                 "%llu done, virtual %s",
                 static_cast<unsigned long long>(p.quotes),
                 s > 0 ? static_cast<double>(p.quotes) / s : 0.0,
                 static_cast<unsigned long long>(p.orders_sent),
                 static_cast<unsigned long long>(p.orders_done),
                 format_seconds(p.virtual_now).c_str());
    std::fflush(stderr);
  }

private:
  using clock = std::chrono::steady_clock;
  bool on_;
  bool shown_ = false;
  clock::time_point start_ = clock::now();
  clock::time_point last_;
};

int backtest_command(const backtest_settings& s) {
  std::optional<scenario> loaded;
  if (!s.scenario_file.empty()) {
    auto r = load_scenario_file(s.scenario_file);
    for (const auto& e : r.errors)
      std::cerr << e.to_string() << "\n";
    if (!r.value)
      return exit_bad_input;
    loaded = std::move(r.value);
  }
  auto settings = backtest::backtest_settings(std::move(loaded), s.in);

  std::string error;
  auto db = recording::open(s.db, error);
  if (!db) {
    std::cerr << "execsim backtest: " << error << "\n";
    return exit_bad_input;
  }
  progress_line line{!s.no_progress};
  backtest::backtest_options opt;
  opt.seed = s.seed;
  opt.db = db.get();
  opt.progress = [&](const backtest::progress_info& p) { line.update(p); };
  auto result = backtest::run_backtest(settings, s.in, opt);
  line.clear();
  if (!result.error.empty()) {
    std::cerr << result.error << "\n";
    return exit_bad_input;
  }
  if (result.run.recording_failed) { // nothing recorded: say so, not "run N"
    std::cerr << "execsim backtest: " << result.run.error << "\n";
    return exit_bad_input;
  }
  std::cout << (s.format == "json" ? backtest::summary_json(s.in, result, s.db)
                                   : backtest::summary_text(s.in, result, s.db));
  return result.run.pass ? exit_pass : exit_fail;
}

} // namespace

void add_backtest_command(CLI::App& app, action& chosen) {
  auto s = std::make_shared<backtest_settings>();
  auto* cmd = app.add_subcommand(
    "backtest", "Replay market data and orders, measure execution quality");
  cmd->add_option("--market", s->in.market_file,
                  "Quotes CSV: ts,symbol,bid,ask,bid_size,ask_size")
    ->required();
  cmd->add_option("--orders", s->in.orders_file,
                  "Orders CSV: ts,order_id,trader,symbol,side,quantity,price")
    ->required();
  cmd->add_option("--scenario", s->scenario_file,
                  "Scenario whose [executor], [exchange] latency, [[faults]] "
                  "and [explore] apply");
  cmd->add_option("--db", s->db, "SQLite recording file")
    ->check(non_empty_check())
    ->capture_default_str();
  cmd->add_option("--seed", s->seed, "Seed (overrides the scenario's)")
    ->check(seed_check());
  cmd->add_flag("--skip-bad-rows", s->in.skip_bad_rows,
                "Skip and count bad CSV rows instead of stopping");
  cmd->add_option("--format", s->format, "Summary format")
    ->check(CLI::IsMember({"text", "json"}))
    ->capture_default_str();
  cmd->add_flag("--no-progress", s->no_progress,
                "No progress line (shown only on a terminal anyway)");
  cmd->callback([s, &chosen] { chosen = [s] { return backtest_command(*s); }; });
}

} // namespace execsim::cli
