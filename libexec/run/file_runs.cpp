#include "libexec/run/file_runs.hpp"

#include "sim/assert.hpp"
#include "sim/scenario_loader_warnings.hpp"

#include <fmt/format.h>

#include <atomic>
#include <exception>
#include <thread>

namespace execsim::cli {

namespace {

void run_one(file_result& r, const file_run_settings& s, recording* db) {
  r.loaded = load_scenario_file(r.file);
  if (!r.loaded.value)
    return;
  if (!s.executor.empty() && s.executor != r.loaded.value->executor.kind) {
    r.loaded.value->executor.kind = s.executor;
    // The shared-key warning depends on the executor kind.
    r.loaded.warnings =
      scenario_loading::scenario_warnings(*r.loaded.value, r.file);
  }
  run_options opt;
  opt.seed = s.seed;
  opt.db = db;
  r.outcome = run_scenario(*r.loaded.value, opt);
  r.ran = true;
}

/// run_one, with any exception turned into the file's result.
void run_guarded(file_result& r, const file_run_settings& s, recording* db) {
  try {
    run_one(r, s, db);
  } catch (const std::exception& e) {
    r.ran = false;
    r.not_run = e.what();
  } catch (...) {
    r.ran = false;
    r.not_run = "unknown error";
  }
}

} // namespace

std::vector<file_result> run_files(const std::vector<std::string>& files,
                                   const file_run_settings& s,
                                   const std::vector<recording*>& dbs) {
  EXECSIM_ASSERT(!dbs.empty());
  std::vector<file_result> results(files.size());
  for (std::size_t i = 0; i < files.size(); ++i)
    results[i].file = files[i];
  std::atomic<std::size_t> next{0};
  std::atomic<bool> abandoned{false};
  auto worker = [&](recording* db) {
    for (auto i = next++; i < results.size(); i = next++) {
      if (abandoned) {
        results[i].not_run = "not run: the recording failed on an earlier "
                             "file";
        continue;
      }
      run_guarded(results[i], s, db);
      if (results[i].outcome.recording_failed)
        abandoned = true;
    }
  };
  if (dbs.size() == 1) {
    worker(dbs[0]);
    return results;
  }
  std::vector<std::thread> threads;
  for (auto* db : dbs)
    threads.emplace_back(worker, db);
  for (auto& t : threads)
    t.join();
  return results;
}

} // namespace execsim::cli
