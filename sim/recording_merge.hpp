// `execsim merge`: shard recordings combined into one new recording, as if
// one process had explored the whole seed range. Every run is copied with a
// new run id (in shard order, then run order); every shard's
// `explorations` row is kept, and the shards of each seed range must be
// complete and distinct (0..N-1 of I/N, each once) or nothing is written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace execsim {

/// One seed range explored in shards, summed over its shards.
struct merged_range {
  std::string scenario;
  std::int64_t seed_from = 0;
  std::int64_t seeds = 0;
  std::int64_t shard_count = 1;
  std::int64_t seeds_run = 0;
  std::int64_t failing_seeds = 0;
  std::string digest; // the XOR of the shards': the whole range's digest
};

struct merge_summary {
  std::int64_t runs = 0;
  std::int64_t explorations = 0;
  std::vector<merged_range> ranges; // in the order first seen
};

/// Writes `out` (which must not exist) from `shards` (each an execsim
/// recording, none given twice). On any problem: false, `error` says what
/// (a missing or duplicated shard names the range and the files), and no
/// `out` is left behind. Limit: 4,096 shard files.
bool merge_recordings(const std::string& out,
                      const std::vector<std::string>& shards,
                      merge_summary& summary, std::string& error);

} // namespace execsim
