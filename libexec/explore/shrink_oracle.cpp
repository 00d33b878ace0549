#include "libexec/explore/shrink_oracle.hpp"

#include "libexec/run/runner.hpp"

#include <utility>

namespace execsim {

shrink_oracle::shrink_oracle(std::string invariant, std::uint64_t seed,
                             runtime& rt)
    : invariant_(std::move(invariant)), seed_(seed), rt_(rt) {
}

std::map<std::string, std::uint64_t>
shrink_oracle::violations(const scenario& candidate) {
  run_options opt;
  opt.seed = seed_;
  opt.trace_lines_max = 0;
  ++runs_;
  return run_scenario(candidate, opt, &rt_).violation_counts;
}

bool shrink_oracle::breaks(const scenario& candidate) {
  return violations(candidate).count(invariant_) > 0;
}

void shrink_oracle::pin(const scenario& reference) {
  allowed_.clear();
  for (const auto& [name, n] : violations(reference))
    allowed_.insert(name);
}

bool shrink_oracle::still_fails(const scenario& candidate) {
  if (budget_ == 0)
    return false;
  --budget_;
  auto got = violations(candidate);
  if (got.count(invariant_) == 0)
    return false;
  for (const auto& [name, n] : got)
    if (allowed_.count(name) == 0)
      return false;
  return true;
}

} // namespace execsim
