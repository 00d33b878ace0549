#include "sim/trace.hpp"

#include <fmt/format.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "sim/assert.hpp"

namespace execsim {

struct trace::hash_state {
  XXH64_state_t state;
};

trace::trace(std::size_t lines_max)
  : hash_(std::make_unique<hash_state>()), lines_max_(lines_max) {
  XXH64_reset(&hash_->state, 0);
}

trace::~trace() = default;

void trace::add(ns_t at, std::string_view from, std::string_view to,
                std::string_view what) {
  scratch_.clear();
  fmt::format_to(std::back_inserter(scratch_), "{} {} -> {}: {}", at, from, to,
                 what);
  if (lines_.size() < lines_max_) {
    lines_.push_back(scratch_);
    times_.push_back(at);
    if (sink_)
      sink_(static_cast<std::int64_t>(count_ + 1), at, scratch_);
  }
  scratch_ += '\n';
  XXH64_update(&hash_->state, scratch_.data(), scratch_.size());
  ++count_;
}

std::string trace::digest() const {
  return fmt::format("{:016x}", XXH64_digest(&hash_->state));
}

trace_difference first_difference(const std::vector<std::string>& expected,
                                  const std::vector<std::string>& actual) {
  auto n = std::max(expected.size(), actual.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto* e = i < expected.size() ? &expected[i] : nullptr;
    const auto* a = i < actual.size() ? &actual[i] : nullptr;
    if (e && a && *e == *a)
      continue;
    return {i + 1, e ? *e : std::string{}, a ? *a : std::string{}};
  }
  return {};
}

} // namespace execsim
