#include "libexec/explore/explorer.hpp"

#include "libexec/run/runner.hpp"
#include "sim/runtime.hpp"
#include "sim/swarm.hpp"

#include <fmt/format.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include "sim/assert.hpp"
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace execsim {

namespace {

std::uint64_t seed_digest_word(std::uint64_t seed, const std::string& digest) {
  auto text = fmt::format("{}:{}", seed, digest);
  return XXH64(text.data(), text.size(), 0);
}

seed_failure to_failure(std::uint64_t seed, run_outcome& out) {
  seed_failure f;
  f.seed = seed;
  f.error = out.error;
  f.violation_counts = out.violation_counts;
  if (!out.violations.empty()) {
    const auto& v = out.violations.front();
    f.invariant = v.invariant;
    f.order = v.order_id.value_or("");
    f.detail = v.detail;
  }
  f.fired = std::move(out.fired);
  return f;
}

/// The failures kept (the lowest seeds, by seed).
explore_report assemble(std::vector<seed_failure> failures,
                        std::size_t stop_after) {
  explore_report report;
  std::sort(failures.begin(), failures.end(),
            [](const seed_failure& a, const seed_failure& b) {
              return a.seed < b.seed;
            });
  if (stop_after > 0 && failures.size() > stop_after)
    failures.resize(stop_after);
  report.failures = std::move(failures);
  return report;
}

} // namespace

std::vector<std::uint64_t> shard_seeds(const explore_settings& s) {
  EXECSIM_ASSERT(s.shard_count >= 1 && s.shard_index < s.shard_count);
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t k = s.shard_index; k < s.seeds; k += s.shard_count)
    seeds.push_back(s.from + k);
  return seeds;
}

explore_report explore(const scenario& sc, const explore_settings& s) {
  auto seeds = shard_seeds(s);
  std::mutex mtx;
  std::vector<seed_failure> failures;
  std::uint64_t digest_acc = 0;
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> done{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<bool> stop{false};
  std::array<std::uint64_t, probe_count> probe_seeds{}; // guarded by mtx

  auto jobs = static_cast<std::size_t>(std::max(1, s.jobs));
  std::size_t running = jobs; // guarded by mtx
  std::condition_variable all_done;
  auto worker = [&] {
    runtime rt; // one per thread, reused by every seed it runs
    run_options opt;
    opt.explore = true;
    opt.trace_lines_max = 0; // digests only: memory stays flat
    for (auto i = next++; i < seeds.size() && !stop; i = next++) {
      opt.seed = seeds[i];
      auto out = run_scenario(sc, opt, &rt);
      bool bad = !out.violation_counts.empty() || !out.error.empty();
      std::lock_guard<std::mutex> guard{mtx};
      digest_acc ^= seed_digest_word(seeds[i], out.digest);
      for (std::size_t p = 0; p < probe_count; ++p)
        probe_seeds[p] += out.probes.test(p) ? 1 : 0;
      if (bad) {
        failures.push_back(to_failure(seeds[i], out));
        if (sc.explore.present && sc.explore.swarm)
          failures.back().swarm_kinds = swarm_kinds(sc.explore, seeds[i]);
        if (++failed >= s.stop_after && s.stop_after > 0)
          stop = true;
      }
      ++done;
    }
    std::lock_guard<std::mutex> guard{mtx};
    if (--running == 0)
      all_done.notify_all();
  };

  std::vector<std::thread> threads;
  for (std::size_t j = 0; j < jobs; ++j)
    threads.emplace_back(worker);
  // Stopping early keeps the lowest failing seeds: every seed below the
  // K-th failure found was taken before the stop, so it finishes too.
  // Progress every 200 ms, but never a wait past the last seed.
  if (s.on_progress) {
    std::unique_lock<std::mutex> lock{mtx};
    while (running > 0) {
      lock.unlock();
      s.on_progress({done, seeds.size(), failed});
      lock.lock();
      all_done.wait_for(lock, std::chrono::milliseconds(200),
                        [&] { return running == 0; });
    }
  }
  for (auto& t : threads)
    t.join();

  auto report = assemble(std::move(failures), s.stop_after);
  report.seeds_run = done;
  report.probe_seeds = probe_seeds;
  report.digest = fmt::format("{:016x}", digest_acc);
  if (s.on_progress)
    s.on_progress({done, seeds.size(), report.failures.size()});
  return report;
}

} // namespace execsim
