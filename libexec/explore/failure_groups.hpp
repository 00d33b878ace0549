// Grouping failing exploration seeds by signature, so that a thousand
// failures of one kind read as one line. The signature of a failing seed is
// its first invariant (or `error` for a run stopped by an error) and the
// kinds of the faults of its shape, sorted by name and joined by `+`:
// `one_fill_per_key [check_fail+drop_ack]`. The shape is the faults left in
// its shrunk minimal scenario (one entry per fault) or, when it is not
// shrunk, the distinct kinds of the faults that fired. Either is a function
// of the seed alone, so groups are the same whatever --jobs and --shard.
#pragma once

#include "libexec/explore/explorer.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace execsim {

struct failure_group {
  /// `invariant [kind+kind]`; `[no faults]` when none fired.
  std::string signature;
  std::string invariant;
  std::vector<std::string> kinds;
  std::uint64_t count = 0;
  /// Index into the failures of the lowest seed of the group.
  std::size_t first = 0;
};

/// One failing seed's shape: its invariant and its fault kinds, sorted.
struct failure_shape {
  std::string invariant;
  std::vector<std::string> kinds;
};

/// The distinct kinds of the faults that fired.
failure_shape fired_shape(const seed_failure& f);

/// The kinds of the faults of a minimal scenario, one per fault.
failure_shape minimal_shape(const seed_failure& f,
                            const std::vector<fault_spec>& minimal_faults);

std::string signature_of(const failure_shape& shape);

/// Groups in the order of their lowest seed; shapes[i] is failure i's (the
/// failures by seed).
std::vector<failure_group>
group_failures(const std::vector<failure_shape>& shapes);

} // namespace execsim
