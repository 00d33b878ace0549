// The question every shrinking step asks: does this candidate scenario
// still fail, and the same way? One plain run (no random faults) answers
// it, counted against a budget so that shrinking always ends.
#pragma once

#include "sim/scenario.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace execsim {

class runtime;

class shrink_oracle {
public:
  shrink_oracle(std::string invariant, std::uint64_t seed, runtime& rt);

  /// The invariants a plain run of `candidate` breaks, with counts.
  std::map<std::string, std::uint64_t> violations(const scenario& candidate);

  /// It breaks the invariant being shrunk (whatever else it breaks).
  bool breaks(const scenario& candidate);

  /// From now on `still_fails` also refuses a candidate that breaks an
  /// invariant `reference` does not: a smaller time or a dropped setting
  /// must not turn the file into a different failure.
  void pin(const scenario& reference);

  /// breaks(), within the pinned invariants, while `budget` runs remain
  /// (false once they are spent: the shrink keeps what it has).
  bool still_fails(const scenario& candidate);

  /// Runs `still_fails` may still spend.
  void set_budget(std::size_t runs) { budget_ = runs; }
  std::size_t budget() const noexcept { return budget_; }

  /// Every run so far.
  std::size_t runs() const noexcept { return runs_; }
  const std::string& invariant() const noexcept { return invariant_; }

private:
  std::string invariant_;
  std::uint64_t seed_;
  runtime& rt_;
  std::size_t runs_ = 0;
  std::size_t budget_ = 0;
  std::set<std::string> allowed_;
};

} // namespace execsim
