// [exchange] rate_limit: the venue's gateway admits at most `max` submits
// and checks in any window of `per`, sliding over their arrival times. A
// request arriving at t is admitted when fewer than `max` admitted
// requests arrived in (t - per, t]; only admitted requests count (a
// rejected one does not push the window on).
#pragma once

#include "sim/scenario.hpp"

#include <deque>
#include <optional>

namespace execsim {

class rate_limiter {
public:
  /// nullopt: no limit, every request is admitted.
  explicit rate_limiter(const std::optional<rate_limit_config>& config)
    : config_(config) {
  }

  /// A request arriving at `now` (never earlier than the one before):
  /// nullopt when admitted (and counted), else the wait its reject carries
  /// (the configured retry_after, or until the window has room).
  std::optional<ns_t> admit(ns_t now);

  /// The reject code (only with a limit).
  const std::string& code() const noexcept {
    return config_->code;
  }

private:
  const std::optional<rate_limit_config>& config_;
  std::deque<ns_t> admitted_; // arrival times in the window, oldest first
};

} // namespace execsim
