#include "actors/exchange/rate_limiter.hpp"

#include "sim/assert.hpp"

namespace execsim {

std::optional<ns_t> rate_limiter::admit(ns_t now) {
  if (!config_)
    return std::nullopt;
  const auto& c = *config_;
  EXECSIM_ASSERT(c.max >= 1 && c.per > 0);
  EXECSIM_ASSERT(admitted_.empty() || admitted_.back() <= now);
  while (!admitted_.empty() && now - admitted_.front() >= c.per)
    admitted_.pop_front();
  if (static_cast<std::int64_t>(admitted_.size()) < c.max) {
    admitted_.push_back(now);
    return std::nullopt;
  }
  auto room_at = admitted_.front() + c.per;
  EXECSIM_ASSERT(room_at > now);
  return c.retry_after.value_or(room_at - now);
}

} // namespace execsim
