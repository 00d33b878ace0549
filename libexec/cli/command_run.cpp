// `execsim run [PATH]...`: run scenario files, record them, print a line
// per run and a summary. Exit 0 all passed, 1 a run failed, 2 bad input.
#include "libexec/cli/commands.hpp"
#include "libexec/run/golden.hpp"
#include "libexec/run/junit.hpp"
#include "libexec/run/outcome_text.hpp"
#include "libexec/run/scenario_files.hpp"

#include "sim/recording.hpp"
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/trace.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

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

/// One file's fate: loaded or not, and its run.
struct file_result {
  std::string file;
  load_result loaded;
  run_outcome outcome;
  bool ran = false;
};

void run_one(file_result& r, const run_settings& s, recording* db) {
  r.loaded = load_scenario_file(r.file);
  if (!r.loaded.value)
    return;
  if (!s.executor.empty())
    r.loaded.value->executor.kind = s.executor;
  run_options opt;
  opt.seed = s.seed;
  opt.db = db;
  r.outcome = run_scenario(*r.loaded.value, opt);
  r.ran = true;
}

int run_command(const run_settings& s) {
  std::vector<std::string> missing;
  auto files = scenario_files(s.paths, missing);
  for (const auto& m : missing)
    std::cerr << m << ": no such file or directory\n";
  if (files.empty() && missing.empty()) {
    std::cerr << "execsim run: no scenario files found\n";
    return exit_bad_input;
  }

  std::vector<file_result> results(files.size());
  for (std::size_t i = 0; i < files.size(); ++i)
    results[i].file = files[i];

  // Workers each own a runtime and a database connection; results are
  // printed in file order, so any --jobs prints what --jobs 1 prints.
  std::string open_error;
  std::atomic<std::size_t> next{0};
  auto worker = [&](recording* db) {
    for (auto i = next++; i < results.size(); i = next++)
      run_one(results[i], s, db);
  };
  auto jobs = std::max(1, std::min<int>(s.jobs, static_cast<int>(files.size())));
  std::vector<std::unique_ptr<recording>> dbs;
  for (int j = 0; j < jobs; ++j) {
    auto db = recording::open(s.db, open_error);
    if (!db) {
      std::cerr << "execsim run: " << open_error << "\n";
      return exit_bad_input;
    }
    dbs.push_back(std::move(db));
  }
  auto wall_start = std::chrono::steady_clock::now();
  if (jobs == 1) {
    worker(dbs[0].get());
  } else {
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j)
      threads.emplace_back(worker, dbs[static_cast<std::size_t>(j)].get());
    for (auto& t : threads)
      t.join();
  }
  auto wall_ms = std::chrono::duration<double, std::milli>(
                   std::chrono::steady_clock::now() - wall_start)
                   .count();

  std::string golden_error;
  auto golden = s.golden.empty() ? std::map<std::string, std::string>{}
                                 : read_golden(s.golden, golden_error);
  if (!golden_error.empty()) {
    std::cerr << golden_error << "\n";
    return exit_bad_input;
  }
  auto new_golden = golden;

  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t errors = missing.size();
  ns_t virtual_total = 0;
  std::vector<junit_case> cases;
  for (auto& r : results) {
    if (!r.ran) {
      ++errors;
      std::string all;
      std::cout.flush(); // keep stdout and stderr lines in order
      for (const auto& e : r.loaded.errors) {
        std::cerr << e.to_string() << "\n";
        all += e.to_string() + "\n";
      }
      std::cerr.flush();
      std::cout << fmt::format("ERROR {}  ({} error{}: nothing recorded)\n",
                               r.file, r.loaded.errors.size(),
                               r.loaded.errors.size() == 1 ? "" : "s");
      cases.push_back({r.file, r.file, 0, false, true,
                       r.loaded.errors.empty() ? "bad input"
                                               : r.loaded.errors[0].to_string(),
                       all});
      continue;
    }
    const auto& sc = *r.loaded.value;
    auto& out = r.outcome;
    if (!s.golden.empty()) {
      new_golden[r.file] = out.digest;
      auto g = golden.find(r.file);
      if (s.update_golden) {
        // rewritten below
      } else if (g == golden.end()) {
        out.pass = false;
        out.check_failures.push_back(
          fmt::format("no golden digest for {} in {} (add it with "
                      "--update-golden)",
                      r.file, s.golden));
      } else if (g->second != out.digest) {
        out.pass = false;
        auto before = recorded_trace(dbs[0]->handle(), r.file, g->second);
        std::string where;
        if (before.empty()) {
          where = fmt::format("the trace of the golden run is not in {}; "
                              "record it from the old version to see the "
                              "first changed line",
                              s.db);
        } else {
          auto d = first_difference(before, out.trace);
          where = fmt::format("first changed trace line {}:\n      golden: "
                              "{}\n      now:    {}",
                              d.line, d.expected, d.actual);
        }
        out.check_failures.push_back(
          fmt::format("digest {} differs from golden {}; {}", out.digest,
                      g->second, where));
      }
    }
    virtual_total += out.virtual_end;
    if (out.executor_broken)
      ++errors; // the executor under test is broken: bad input, exit 2
    else
      (out.pass ? passed : failed) += 1;
    if (!s.quiet || !out.pass)
      std::cout << outcome_line(sc, out) << "\n";
    auto details = outcome_details(out);
    if (!out.pass)
      std::cout << details;
    if (s.print_trace)
      for (const auto& line : out.trace)
        std::cout << "    | " << line << "\n";
    cases.push_back({sc.name, r.file, out.wall_ms / 1000, !out.pass, false,
                     out.pass ? ""
                     : !out.failures.empty()
                       ? out.failures[0].order + ": " + out.failures[0].message
                     : !out.check_failures.empty() ? out.check_failures[0]
                                                   : out.error,
                     details});
  }
  if (s.update_golden && !s.golden.empty()) {
    if (!write_golden(s.golden, new_golden, golden_error)) {
      std::cerr << golden_error << "\n";
      return exit_bad_input;
    }
    std::cout << fmt::format("golden digests written to {}\n", s.golden);
  }
  std::cout << fmt::format("{} passed, {} failed, {} errors  (virtual {} in "
                           "wall {}, recorded in {})\n",
                           passed, failed, errors, format_seconds(virtual_total),
                           wall_text(wall_ms), s.db);
  if (!s.junit.empty()) {
    std::string err;
    if (!write_junit(s.junit, "execsim", cases, err)) {
      std::cerr << err << "\n";
      return exit_bad_input;
    }
  }
  if (errors > 0)
    return exit_bad_input;
  return failed > 0 ? exit_fail : exit_pass;
}

} // namespace

void add_run_command(CLI::App& app, action& chosen) {
  auto s = std::make_shared<run_settings>();
  auto* cmd = app.add_subcommand(
    "run", "Run scenario files (default: every *.toml under scenarios/)");
  cmd->add_option("paths", s->paths, "Scenario files or directories");
  cmd->add_option("--db", s->db, "SQLite recording file")
    ->capture_default_str();
  cmd->add_option("--seed", s->seed, "Seed for every file (overrides theirs)");
  cmd->add_option("--executor", s->executor,
                  "Run every file with this executor kind instead of its own "
                  "(a registered plug-in, e.g. your own)");
  cmd->add_option("--junit", s->junit, "Write JUnit XML to this file");
  cmd->add_option("--golden", s->golden,
                  "Compare each digest with this golden file");
  cmd->add_flag("--update-golden", s->update_golden,
                "Rewrite the golden file with this run's digests");
  cmd->add_flag("-q,--quiet", s->quiet, "Print only failures and the summary");
  cmd->add_flag("--trace", s->print_trace, "Print each run's trace");
  cmd->add_option("-j,--jobs", s->jobs, "Files run in parallel")
    ->check(CLI::Range(1, 256))
    ->capture_default_str();
  cmd->callback([s, &chosen] { chosen = [s] { return run_command(*s); }; });
}

} // namespace execsim::cli
