#include "libexec/bench/suites.hpp"

#include "libexec/bench/child_process.hpp"
#include "libexec/bench/stopwatch.hpp"
#include "libexec/explore/explorer.hpp"
#include "sim/recording.hpp"
#include "libexec/run/runner.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <stdexcept>

namespace execsim::bench {

namespace {

/// One pass over the files; `shared` = nullptr gives each run its own
/// runtime. Problems are collected only when `r` is given.
double run_files(const std::vector<std::string>& files, recording& db,
                 runtime* shared, suite_result* r) {
  stopwatch sw;
  for (const auto& f : files) {
    auto loaded = load_scenario_file(f);
    if (!loaded.value) {
      if (r)
        r->problems.push_back(loaded.errors.empty()
                                ? f + ": does not load"
                                : loaded.errors.front().to_string());
      continue;
    }
    run_options opt;
    opt.db = &db;
    auto out = run_scenario(*loaded.value, opt, shared);
    if (!r)
      continue;
    r->virtual_total += out.virtual_end;
    if (out.pass)
      ++r->passed;
    else
      r->problems.push_back(f + ": "
                            + (!out.error.empty()      ? out.error
                               : !out.failures.empty() ? out.failures[0].message
                               : !out.check_failures.empty()
                                 ? out.check_failures[0]
                                 : "failed"));
  }
  return sw.seconds();
}

double median(std::vector<double> xs) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

/// The "N passed, N failed, N errors" line of `execsim run`'s output, else
/// the start of its stderr.
std::string summary_line(const std::string& out, const std::string& err) {
  auto at = out.find(" passed, ");
  if (at == std::string::npos)
    return err.substr(0, 200);
  auto begin = out.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  // "14 passed, 0 failed, 0 errors", without "  (virtual ..., recorded in ...)"
  auto end = std::min(out.find('\n', at), out.find("  (", at));
  return out.substr(begin, end == std::string::npos ? end : end - begin);
}

} // namespace

std::vector<std::string> toml_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it{dir, ec}, end; !ec && it != end;
       it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".toml")
      files.push_back(it->path().string());
  std::sort(files.begin(), files.end());
  return files;
}

suite_result run_suite(const std::vector<std::string>& files,
                       const std::string& db_path, int repeats) {
  std::string error;
  auto db = recording::open(db_path, error);
  if (!db)
    throw std::runtime_error(error);
  suite_result r;
  r.files = files.size();
  std::vector<double> shared;
  for (int i = 0; i < std::max(1, repeats); ++i) {
    r.passes.push_back(run_files(files, *db, nullptr, i == 0 ? &r : nullptr));
    runtime rt;
    shared.push_back(run_files(files, *db, &rt, nullptr));
  }
  r.seconds = median(r.passes);
  r.seconds_shared_runtime = median(shared);
  return r;
}

process_suite_result run_suite_process(const std::string& exe,
                                       const std::vector<std::string>& files,
                                       const std::string& scratch,
                                       int repeats) {
  process_suite_result r;
  r.files = files.size();
  std::vector<std::string> argv{exe, "run"};
  argv.insert(argv.end(), files.begin(), files.end());
  for (const char* a : {"--quiet", "--db"})
    argv.emplace_back(a);
  argv.push_back(scratch + "/suite-process.sqlite");
  for (int i = 0; i < std::max(1, repeats); ++i) {
    auto c = run_child(argv, scratch);
    r.passes.push_back(c.seconds);
    if (i > 0)
      continue;
    r.status = c.status;
    r.summary = summary_line(c.out, c.err);
  }
  r.seconds = median(r.passes);
  return r;
}

explore_result measure_explore(const std::string& file, std::uint64_t seeds) {
  explore_result r;
  if (!std::filesystem::exists(file)) {
    r.error = "no " + file;
    return r;
  }
  auto loaded = load_scenario_file(file);
  if (!loaded.value) {
    r.error = loaded.errors.empty() ? file + ": does not load"
                                    : loaded.errors.front().to_string();
    return r;
  }
  explore_settings s;
  s.seeds = seeds;
  s.jobs = 1;
  stopwatch sw;
  auto rep = explore(*loaded.value, s);
  r.seconds = sw.seconds();
  r.cpu_seconds = sw.cpu_seconds();
  r.seeds = rep.seeds_run;
  r.failing_seeds = rep.failures.size();
  return r;
}

} // namespace execsim::bench
