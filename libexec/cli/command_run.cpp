// `execsim run [PATH]...`: run scenario files, record them, print a line
// per run and a summary. Exit 0 all passed, 1 a run failed, 2 bad input.
#include "libexec/cli/commands.hpp"
#include "libexec/cli/load_warnings.hpp"
#include "libexec/run/golden_check.hpp"
#include "libexec/cli/option_checks.hpp"
#include "libexec/cli/writable_dir.hpp"
#include "libexec/run/file_runs.hpp"
#include "libexec/run/junit.hpp"
#include "libexec/run/outcome_text.hpp"
#include "libexec/run/scenario_files.hpp"

#include "sim/recording.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace execsim::cli {

namespace {

struct run_settings {
  std::vector<std::string> paths;
  std::string db = "execsim.sqlite";
  std::optional<std::uint64_t> seed;
  std::string executor;
  std::string junit;
  std::string golden;
  bool update_golden = false;
  bool quiet = false;
  bool print_trace = false;
  int jobs = 1;
};

/// What the summary line and the JUnit file count; they always agree.
struct tally {
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t errors = 0;
  std::size_t recorded = 0; // runs with rows in the recording
  ns_t virtual_total = 0;
  bool recording_failed = false;
  std::vector<junit_case> cases;

  void error(junit_case c) {
    ++errors;
    c.error = true;
    cases.push_back(std::move(c));
  }
};

/// A path given that does not exist: an error on the console and in JUnit.
void report_missing(const std::string& path, tally& t) {
  std::cerr << path << ": no such file or directory\n";
  t.error({path, junit_classname(path), 0, false, true,
           "no such file or directory", path + ": no such file or directory\n"});
}

/// A file that did not load (its errors, every one) or did not run.
void report_not_run(const file_result& r, tally& t) {
  std::string all;
  std::cout.flush(); // keep stdout and stderr lines in order
  for (const auto& e : r.loaded.errors) {
    std::cerr << e.to_string() << "\n";
    all += e.to_string() + "\n";
  }
  std::cerr.flush();
  std::string message = r.not_run;
  if (message.empty()) {
    std::cout << fmt::format("ERROR {}  ({} error{}: nothing recorded)\n",
                             r.file, r.loaded.errors.size(),
                             r.loaded.errors.size() == 1 ? "" : "s");
    message = r.loaded.errors.empty() ? "bad input"
                                      : r.loaded.errors[0].to_string();
  } else {
    std::cout << fmt::format("ERROR {}  ({})\n", r.file, r.not_run);
    all = r.not_run + "\n";
  }
  t.error({r.file, junit_classname(r.file), 0, false, true, message, all});
}

/// The JUnit message of a run: what went wrong first.
std::string first_problem(const run_outcome& out) {
  if (!out.error.empty())
    return out.error;
  if (!out.failures.empty())
    return out.failures[0].order + ": " + out.failures[0].message;
  return out.check_failures.empty() ? "" : out.check_failures[0];
}

void report_run(const file_result& r, const run_settings& s, tally& t) {
  const auto& sc = *r.loaded.value;
  const auto& out = r.outcome;
  t.virtual_total += out.virtual_end;
  t.recorded += out.run_id != 0 ? 1 : 0;
  if (!s.quiet || !out.pass)
    std::cout << outcome_line(sc, out) << "\n";
  auto details = outcome_details(out);
  if (!out.pass)
    std::cout << details;
  if (s.print_trace)
    for (const auto& line : out.trace)
      std::cout << "    | " << line << "\n";
  junit_case c{sc.name, junit_classname(r.file), out.wall_ms / 1000,
               false, false, out.pass ? "" : first_problem(out), details};
  // A broken executor program or recording is bad input, not a failing
  // scenario: an <error>, and exit 2.
  if (out.executor_broken || out.recording_failed) {
    t.recording_failed = t.recording_failed || out.recording_failed;
    t.error(std::move(c));
    return;
  }
  c.failed = !out.pass;
  (out.pass ? t.passed : t.failed) += 1;
  t.cases.push_back(std::move(c));
}

/// One connection per job; nullopt after printing why one cannot open.
std::optional<std::vector<std::unique_ptr<recording>>>
open_recordings(const std::string& path, int jobs) {
  std::vector<std::unique_ptr<recording>> dbs;
  for (int j = 0; j < jobs; ++j) {
    std::string error;
    auto db = recording::open(path, error);
    if (!db) {
      std::cerr << "execsim run: " << error << "\n";
      return std::nullopt;
    }
    dbs.push_back(std::move(db));
  }
  return dbs;
}

void print_summary(const run_settings& s, const tally& t, double wall_ms) {
  // Never claim a recording no run went into.
  auto where = t.recording_failed ? fmt::format("recording into {} failed", s.db)
               : t.recorded == 0  ? std::string{"nothing recorded"}
                                  : fmt::format("recorded in {}", s.db);
  std::cout << fmt::format("{} passed, {} failed, {} errors  (virtual {} in "
                           "wall {}, {})\n",
                           t.passed, t.failed, t.errors,
                           format_seconds(t.virtual_total), wall_text(wall_ms),
                           where);
}

int run_command(const run_settings& s) {
  std::vector<std::string> missing;
  auto files = scenario_files(s.paths, missing);
  if (files.empty() && missing.empty()) {
    std::cerr << "execsim run: no scenario files found\n";
    return exit_bad_input;
  }
  if (!s.junit.empty()) {
    auto folder = std::filesystem::path(s.junit).parent_path().string();
    if (auto problem = writable_dir_problem(folder.empty() ? "." : folder);
        !problem.empty()) {
      std::cerr << fmt::format("execsim run: --junit {}: {}\n", s.junit,
                               problem);
      return exit_bad_input;
    }
  }
  std::optional<golden_check> golden;
  if (!s.golden.empty()) {
    std::string error;
    golden = golden_check::open(s.golden, s.update_golden, error);
    if (!golden) {
      std::cerr << "execsim run: " << error << "\n";
      return exit_bad_input;
    }
  }
  auto jobs = std::max(1, std::min<int>(s.jobs, static_cast<int>(files.size())));
  auto dbs = open_recordings(s.db, jobs);
  if (!dbs)
    return exit_bad_input;
  std::vector<recording*> connections;
  for (auto& db : *dbs)
    connections.push_back(db.get());

  auto wall_start = std::chrono::steady_clock::now();
  auto results = run_files(files, {s.seed, s.executor}, connections);
  auto wall_ms = std::chrono::duration<double, std::milli>(
                   std::chrono::steady_clock::now() - wall_start)
                   .count();

  tally t;
  for (const auto& m : missing)
    report_missing(m, t);
  for (auto& r : results) {
    print_load_warnings(r.loaded);
    if (!r.ran) {
      report_not_run(r, t);
      continue;
    }
    if (golden)
      golden->judge(r.file, r.outcome, (*dbs)[0]->handle(), s.db);
    report_run(r, s, t);
  }
  if (golden && !golden->finish(t.failed, t.cases))
    return exit_bad_input;
  print_summary(s, t, wall_ms);
  if (!s.junit.empty()) {
    std::string err;
    if (!write_junit(s.junit, "execsim", t.cases, err)) {
      std::cerr << "execsim run: " << err << "\n";
      return exit_bad_input;
    }
  }
  if (t.errors > 0)
    return exit_bad_input;
  return t.failed > 0 ? exit_fail : exit_pass;
}

} // namespace

void add_run_command(CLI::App& app, action& chosen) {
  auto s = std::make_shared<run_settings>();
  auto* cmd = app.add_subcommand(
    "run", "Run scenario files (default: every *.toml under scenarios/)");
  cmd->add_option("paths", s->paths, "Scenario files or directories");
  cmd->add_option("--db", s->db, "SQLite recording file")
    ->check(non_empty_check())
    ->capture_default_str();
  cmd->add_option("--seed", s->seed, "Seed for every file (overrides theirs)")
    ->check(seed_check());
  cmd->add_option("--executor", s->executor,
                  "Run every file with this executor kind instead of its own "
                  "(a registered plug-in, e.g. your own)");
  cmd->add_option("--junit", s->junit, "Write JUnit XML to this file")
    ->check(non_empty_check());
  auto* golden = cmd->add_option(
    "--golden", s->golden,
    "Compare each digest with this golden file (keys: scenario files "
    "relative to it)")
    ->check(non_empty_check());
  cmd->add_flag("--update-golden", s->update_golden,
                "Rewrite the golden file with this run's digests (passing "
                "runs only; drops entries whose file is gone)")
    ->needs(golden);
  cmd->add_flag("-q,--quiet", s->quiet, "Print only failures and the summary");
  cmd->add_flag("--trace", s->print_trace, "Print each run's trace");
  cmd->add_option("-j,--jobs", s->jobs, "Files run in parallel")
    ->check(CLI::Range(1, 256))
    ->capture_default_str();
  cmd->callback([s, &chosen] { chosen = [s] { return run_command(*s); }; });
}

} // namespace execsim::cli
