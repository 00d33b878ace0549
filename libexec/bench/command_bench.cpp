// `execsim bench [--orders N] [--quick] [--json FILE] [--update-readme
// FILE]`: measures the simulator against its two baselines (bare CAF
// messaging, bare SQLite inserts) and the targets, and prints a
// table (and JSON, and the README's table). `--table-from JSON` makes the
// README's table from an earlier run's JSON instead (readme_update.hpp).
#include "libexec/bench/command_bench.hpp"

#include "libexec/bench/backtest_probe.hpp"
#include "libexec/bench/baselines.hpp"
#include "libexec/bench/child_process.hpp"
#include "libexec/bench/end_to_end.hpp"
#include "libexec/bench/report.hpp"
#include "libexec/bench/readme_update.hpp"
#include "libexec/bench/rows.hpp"
#include "libexec/bench/run_meta.hpp"
#include "libexec/bench/scaling.hpp"
#include "libexec/bench/scratch_dir.hpp"
#include "libexec/bench/stopwatch.hpp"
#include "libexec/bench/suites.hpp"
#include "sim/recording.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

namespace execsim::cli {

namespace {

using namespace execsim::bench;

struct bench_settings {
  std::uint64_t orders = 0; // 0 = the default of the mode
  bool quick = false;
  std::string json;
  std::string scenarios; // the order-executor directory
  // --update-readme, and with --table-from its --check: the README's table.
  table_request table;
  // Hidden: one scaling run in this (child) process.
  std::uint64_t scaling_one = 0;
  std::string scratch;
};

/// Rows of the end-to-end run counted on a smaller run: the shape per
/// order does not depend on the size.
constexpr std::uint64_t rows_sample_max = 20'000;

void progress(int n, const std::string& what) {
  std::cerr << fmt::format("  [{}/9] {}...\n", n, what) << std::flush;
}

void print_banner(const run_meta& m) {
  std::cout << fmt::format("execsim bench: build {}, {} orders{}, {} core(s), "
                           "load average {}\n",
                           m.build, m.orders, m.quick ? " (quick)" : "",
                           m.cores, m.load_average_start);
  if (m.build != "Release") {
    // Figures of a debug or instrumented build say nothing about the
    // product; make that impossible to miss.
    std::cout
      << "\n"
      << "  !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
      << fmt::format("  !!! WARNING: this is a {} build, not Release.\n",
                     m.build)
      << "  !!! These figures are NOT representative; rebuild with\n"
      << "  !!! -DCMAKE_BUILD_TYPE=Release before comparing anything.\n"
      << "  !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n";
  }
  std::cout << std::flush;
}

/// The order-executor directory: --scenarios, else ./scenarios/order-executor.
std::string behaviours_dir(const bench_settings& s) {
  return s.scenarios.empty() ? "scenarios/order-executor" : s.scenarios;
}

/// `rel` (a path under scenarios/) beside the behaviours directory when
/// --scenarios names one, else under the working directory.
std::string beside_scenarios(const bench_settings& s, const std::string& rel) {
  if (!s.scenarios.empty()) {
    auto dir = std::filesystem::path(s.scenarios).lexically_normal();
    if (!dir.has_filename()) // "scenarios/order-executor/"
      dir = dir.parent_path();
    auto beside = dir.parent_path() / rel;
    if (std::filesystem::exists(beside))
      return beside.string();
  }
  return "scenarios/" + rel;
}

void add_scenario_rows(const bench_settings& s, const scratch_dir& scratch,
                       std::vector<bench_row>& rows) {
  progress(5, "the original service's 14 behaviours");
  auto dir = behaviours_dir(s);
  auto files = toml_files(dir);
  std::optional<suite_result> suite;
  if (!files.empty())
    suite = run_suite(files, scratch.file("behaviours.sqlite"), 5);
  rows.push_back(behaviours_row(suite, dir));

  progress(6, "exploration");
  auto file = beside_scenarios(s, "explore/original-service.toml");
  rows.push_back(
    explore_row(measure_explore(file, s.quick ? 500 : 5000), file));
}

/// The 14 behaviours through the asyncio harness, and exploration through
/// it next to the JSON-lines example's (scenarios/examples/).
void add_asyncio_rows(const bench_settings& s, const scratch_dir& scratch,
                      std::vector<bench_row>& rows) {
  progress(7, "the 14 behaviours through the asyncio harness");
  auto dir = beside_scenarios(s, "examples/asyncio");
  std::vector<std::string> files;
  for (auto& f : toml_files(dir))
    if (std::filesystem::path(f).filename().string().rfind("explore", 0)
        != 0)
      files.push_back(f);
  asyncio_suites suites;
  if (!files.empty()) {
    suites.process = run_suite_process(self_exe(), files, scratch.path(), 3);
    suites.warm = run_suite(files, scratch.file("asyncio.sqlite"), 3);
  }
  rows.push_back(asyncio_behaviours_row(suites, dir));

  progress(8, "exploration through the asyncio harness");
  auto seeds = s.quick ? 200 : 1000;
  auto harness = dir + "/explore-original.toml";
  auto json_lines = beside_scenarios(s, "examples/explore-original.toml");
  auto base = measure_explore(json_lines, seeds);
  rows.push_back(asyncio_explore_row(measure_explore(harness, seeds), harness,
                                     base, json_lines));
}

/// Rows 1 to 5: the baselines, the end-to-end run and scaling. False when
/// the end-to-end run's database cannot be opened.
bool add_core_rows(std::uint64_t n, bool quick, const scratch_dir& scratch,
                   std::vector<bench_row>& rows) {
  progress(1, "baseline CAF");
  auto caf = measure_caf(n);
  rows.push_back(caf_row(caf));

  // The end-to-end run's rows first: the SQLite baseline writes as many
  // rows as that run does, so both transactions are the same size.
  progress(2, "baseline SQLite, and the recording writer");
  auto shape = measure_rows(std::min(n, rows_sample_max), false);
  auto rows_per_order =
    static_cast<double>(shape.per_order_rows())
    / static_cast<double>(std::max<std::uint64_t>(1, shape.orders));
  auto sqlite_rows = std::max<std::uint64_t>(
    n, static_cast<std::uint64_t>(rows_per_order * static_cast<double>(n)));
  auto sqlite = measure_sqlite(sqlite_rows, scratch.file("baseline.sqlite"));
  rows.push_back(sqlite_row(sqlite));
  rows.push_back(
    writer_row(measure_writer(sqlite_rows, scratch.file("writer.sqlite"))));

  progress(3, "end to end");
  std::string error;
  auto db = recording::open(scratch.file("e2e.sqlite"), error);
  if (!db) {
    std::cerr << "execsim bench: " << error << "\n";
    return false;
  }
  e2e_variant happy{measure_e2e(n, false, db.get()), shape};
  e2e_variant faulted{measure_e2e(n, true, db.get()),
                      measure_rows(std::min(n, rows_sample_max), true)};
  db.reset();
  rows.push_back(e2e_row(happy, faulted, caf, sqlite));

  progress(4, "scaling");
  std::vector<std::uint64_t> sizes{10'000, 100'000};
  if (!quick)
    sizes.push_back(1'000'000);
  std::vector<scaling_point> points;
  for (auto size : sizes)
    points.push_back(measure_scaling(self_exe(), size, scratch.path()));
  rows.push_back(scaling_row(points));
  return true;
}

/// The bench's JSON: the run in "meta" (what the README's table names),
/// the rows beside it.
nlohmann::json bench_json(const run_meta& m,
                          const std::vector<bench_row>& rows) {
  return {{"meta", to_json(m)}, {"rows", rows_json(rows)}};
}

/// --json and --update-readme, from the same JSON, so the README's table
/// is exactly what `--table-from` makes of the file.
int write_outputs(const bench_settings& s, const nlohmann::json& j) {
  if (!s.json.empty()) {
    std::ofstream out(s.json);
    out << j.dump(2) << "\n";
    if (!out) {
      std::cerr << "execsim bench: cannot write " << s.json << "\n";
      return exit_bad_input;
    }
  }
  if (!s.table.update.empty())
    return update_readme(s.table.update, j,
                         s.json.empty() ? "this run" : s.json);
  return exit_pass;
}

int bench_command(const bench_settings& s) {
  if (s.scaling_one > 0)
    return scaling_child(s.scaling_one, s.scratch.empty() ? "." : s.scratch);
  if (!s.table.json.empty())
    return table_from_command(s.table);
  std::string error;
  if (!s.table.update.empty() && !readme_has_block(s.table.update, error)) {
    std::cerr << "execsim bench: " << error << "\n";
    return exit_bad_input;
  }

  const std::uint64_t n = s.orders > 0 ? s.orders : s.quick ? 20'000 : 100'000;
  auto meta = run_starting(n, s.quick);
  print_banner(meta);
  stopwatch total;
  scratch_dir scratch;
  std::vector<bench_row> rows;
  if (!add_core_rows(n, s.quick, scratch, rows))
    return exit_bad_input;
  add_scenario_rows(s, scratch, rows);
  add_asyncio_rows(s, scratch, rows);

  progress(9, "backtest");
  rows.push_back(backtest_row(
    measure_backtest(self_exe(), s.quick ? 50'000 : 200'000, scratch.path())));

  run_finished(meta, total.seconds());
  std::cout << "\n";
  print_table(std::cout, rows);
  std::cout << fmt::format("\nbench took {} (load average now {})\n",
                           seconds_text(meta.seconds), meta.load_average_end);
  return write_outputs(s, bench_json(meta, rows));
}

/// The README's table: --update-readme after a run, or --table-from an
/// earlier run's JSON (which runs nothing, so the run's options are
/// refused beside it).
void add_table_options(CLI::App* cmd, bench_settings& s,
                       const std::vector<CLI::Option*>& run_options) {
  auto* update = cmd->add_option(
    "--update-readme", s.table.update,
    "Rewrite the performance table of this file (README.md) from the "
    "results: the lines between its <!-- bench:begin --> and "
    "<!-- bench:end --> lines; nothing else changes");
  auto* from = cmd->add_option(
    "--table-from", s.table.json,
    "Run nothing: make the README's table from this bench JSON (written by "
    "--json) and print it, or with --update-readme rewrite that file's, or "
    "with --check compare it");
  auto* check = cmd->add_option(
    "--check", s.table.check,
    "With --table-from: exit 0 if this file's table is what the JSON "
    "makes, else 1 with the command that regenerates it");
  check->needs(from)->excludes(update);
  for (auto* o : run_options)
    from->excludes(o);
}

} // namespace

void add_bench_command(CLI::App& app, action& chosen) {
  auto s = std::make_shared<bench_settings>();
  auto* cmd = app.add_subcommand(
    "bench", "Measure throughput against baselines (CAF, SQLite) and targets");
  auto* orders = cmd
    ->add_option("--orders", s->orders,
                 "Orders for the baselines and end-to-end rows (default "
                 "100000; --quick 20000)")
    ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  auto* quick = cmd->add_flag("--quick", s->quick,
                "Smaller runs (well under a minute): no 1M scaling run, 500 "
                "seeds, 50k quotes");
  auto* json = cmd->add_option("--json", s->json,
                               "Also write the results to this file");
  auto* scenarios = cmd->add_option(
    "--scenarios", s->scenarios,
    "The original service's scenario directory (default "
    "scenarios/order-executor)");
  add_table_options(cmd, *s, {orders, quick, json, scenarios});
  cmd->footer(
    "README.md's performance table is generated, never edited by hand:\n"
    "  execsim bench --quick --json docs/bench.json --update-readme README.md\n"
    "      measure, keep the JSON, rewrite the table from it\n"
    "  execsim bench --table-from docs/bench.json --update-readme README.md\n"
    "      rewrite the table from the JSON (after changing how it is made)\n"
    "  execsim bench --table-from docs/bench.json --check README.md\n"
    "      what the tests run: exit 1 when the table and the JSON part");
  // The scaling row re-executes the binary with these, one size a process.
  cmd->add_option("--scaling-one", s->scaling_one)->group("");
  cmd->add_option("--scratch", s->scratch)->group("");
  cmd->callback([s, &chosen] { chosen = [s] { return bench_command(*s); }; });
}

} // namespace execsim::cli
