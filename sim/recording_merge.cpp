#include "sim/recording_merge.hpp"

#include "sim/assert.hpp"
#include "sim/recorded_run.hpp"
#include "sim/recording.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <tuple>
#include <unistd.h>

namespace execsim {

namespace {

namespace fs = std::filesystem;
using cli::recorded_db;

constexpr std::size_t shards_max = 4096;

struct shard_file {
  std::string path;
  std::unique_ptr<recorded_db> db;
  std::vector<exploration_row> explorations;
};

/// A seed range's identity: the same scenario, range and shard count.
using range_key
  = std::tuple<std::string, std::int64_t, std::int64_t, std::int64_t>;

range_key key_of(const exploration_row& e) {
  return {e.scenario, e.seed_from, e.seeds, e.shard_count};
}

std::string range_text(const exploration_row& e) {
  return fmt::format("\"{}\" seeds {}..{}", e.scenario, e.seed_from,
                     e.seed_from + e.seeds - 1);
}

bool open_shards(const std::vector<std::string>& paths,
                 std::vector<shard_file>& out, std::string& error) {
  std::map<std::string, std::string> seen; // canonical -> as given
  for (const auto& p : paths) {
    std::error_code ec;
    auto canonical = fs::weakly_canonical(p, ec).string();
    if (auto [it, fresh] = seen.emplace(canonical, p); !fresh) {
      error = fmt::format("{}: given twice (as {} and {})", p, it->second, p);
      return false;
    }
    shard_file f;
    f.path = p;
    f.db = recorded_db::open(p, error);
    if (!f.db || !f.db->explorations(f.explorations, error))
      return false;
    out.push_back(std::move(f));
  }
  return true;
}

/// Every range's shards 0..N-1, each exactly once; fills `ranges`.
bool check_ranges(const std::vector<shard_file>& shards,
                  std::vector<merged_range>& ranges, std::string& error) {
  std::map<range_key, std::map<std::int64_t, std::string>> have;
  std::map<range_key, std::size_t> index;
  std::vector<std::uint64_t> xors; // each range's digest, while summing
  for (const auto& f : shards)
    for (const auto& e : f.explorations) {
      auto k = key_of(e);
      auto [it, fresh] = have[k].emplace(e.shard_index, f.path);
      if (!fresh) {
        error = fmt::format("shard {}/{} of {} is in both {} and {}",
                            e.shard_index, e.shard_count, range_text(e),
                            it->second, f.path);
        return false;
      }
      if (index.emplace(k, ranges.size()).second) {
        ranges.push_back({e.scenario, e.seed_from, e.seeds, e.shard_count,
                          0, 0, ""});
        xors.push_back(0);
      }
      auto& r = ranges[index[k]];
      r.seeds_run += e.seeds_run;
      r.failing_seeds += e.failing_seeds;
      std::uint64_t word = 0;
      auto* end = e.digest.data() + e.digest.size();
      auto parsed = std::from_chars(e.digest.data(), end, word, 16);
      if (e.digest.empty() || parsed.ec != std::errc{} || parsed.ptr != end) {
        error = fmt::format("{}: shard {}/{} of {} has no digest (\"{}\")",
                            f.path, e.shard_index, e.shard_count,
                            range_text(e), e.digest);
        return false;
      }
      xors[index[k]] ^= word;
    }
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    auto& r = ranges[i];
    r.digest = fmt::format("{:016x}", xors[i]);
    const auto& got = have[{r.scenario, r.seed_from, r.seeds, r.shard_count}];
    std::string missing;
    for (std::int64_t i = 0; i < r.shard_count; ++i)
      if (got.count(i) == 0)
        missing += fmt::format("{}{}/{}", missing.empty() ? "" : ", ", i,
                               r.shard_count);
    if (!missing.empty()) {
      error = fmt::format("\"{}\" seeds {}..{}: shard{} {} missing", r.scenario,
                          r.seed_from, r.seed_from + r.seeds - 1,
                          got.size() + 1 == static_cast<std::size_t>(
                                              r.shard_count)
                            ? ""
                            : "s",
                          missing);
      return false;
    }
  }
  return true;
}

/// Copies one finished run into the open `out`; its new id.
void copy_run(recorded_db& from, const std::string& path, std::int64_t id,
              recording& out) {
  std::string error;
  auto run = from.run(id, error);
  row_batch rows;
  if (!run || !from.rows(id, rows, error) || !from.trace(id, rows.trace, error))
    throw std::runtime_error(error.empty() ? path + ": cannot read run "
                                                 + std::to_string(id)
                                           : error);
  auto fresh = out.begin_run(run->header);
  out.write(fresh, rows);
  out.finish_run(fresh, run->verdict == "pass", run->digest,
                 run->virtual_end_ns, run->wall_ms,
                 run->error.value_or(""));
}

void copy_all(std::vector<shard_file>& shards, recording& out,
              merge_summary& summary) {
  for (auto& f : shards) {
    std::vector<std::int64_t> ids;
    std::string error;
    if (!f.db->run_ids(ids, error))
      throw std::runtime_error(error);
    for (auto id : ids) {
      copy_run(*f.db, f.path, id, out);
      ++summary.runs;
    }
    for (const auto& e : f.explorations) {
      out.add_exploration(e);
      ++summary.explorations;
    }
  }
}

void remove_file_set(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::remove((path + suffix).c_str());
}

} // namespace

bool merge_recordings(const std::string& out,
                      const std::vector<std::string>& shards,
                      merge_summary& summary, std::string& error) {
  EXECSIM_ASSERT(summary.runs == 0 && summary.ranges.empty());
  if (shards.empty() || shards.size() > shards_max) {
    error = fmt::format("give 1 to {} shard recordings (got {})", shards_max,
                        shards.size());
    return false;
  }
  std::error_code ec;
  if (fs::exists(out, ec) || ec) {
    error = fmt::format("{}: already exists: merge writes a new recording "
                        "(remove it or name another)",
                        out);
    return false;
  }
  std::vector<shard_file> files;
  if (!open_shards(shards, files, error)
      || !check_ranges(files, summary.ranges, error))
    return false;
  // Written beside `out` and renamed at the end: a merge that fails or is
  // killed leaves no `out`, never a part of one.
  auto partial = fmt::format("{}.merging-{}", out, ::getpid());
  try {
    auto rec = recording::open(partial, error);
    if (!rec)
      throw std::runtime_error(error);
    copy_all(files, *rec, summary);
    rec.reset(); // closes it: the WAL is checkpointed into the file
    fs::rename(partial, out);
  } catch (const std::exception& e) {
    remove_file_set(partial);
    error = e.what();
    return false;
  }
  return true;
}

} // namespace execsim
