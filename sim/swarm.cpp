#include "sim/swarm.hpp"

#include "sim/rng.hpp"

namespace execsim {

double explore_chance(const explore_config& ex, fault_kind kind) noexcept {
  switch (kind) {
    case fault_kind::drop_request: return ex.drop_request;
    case fault_kind::drop_ack: return ex.drop_ack;
    case fault_kind::delay_ack: return ex.delay_ack;
    case fault_kind::network_error: return ex.network_error;
    case fault_kind::reject: return ex.reject_codes.empty() ? 0 : ex.reject;
    case fault_kind::check_fail: return ex.check_fail;
    case fault_kind::check_drop: return ex.check_drop;
    case fault_kind::outage: return ex.outage;
    case fault_kind::delay_check: return ex.delay_check;
  }
  return 0;
}

std::vector<fault_kind> configured_kinds(const explore_config& ex) {
  std::vector<fault_kind> kinds;
  for (int k = 0; k <= static_cast<int>(last_fault_kind); ++k) {
    auto kind = static_cast<fault_kind>(k);
    if (explore_chance(ex, kind) > 0)
      kinds.push_back(kind);
  }
  return kinds;
}

std::vector<fault_kind> swarm_kinds(const explore_config& ex,
                                    std::uint64_t seed) {
  auto all = configured_kinds(ex);
  std::vector<fault_kind> on;
  for (auto kind : all)
    if (draw(seed, rng_stream::swarm, static_cast<std::uint64_t>(kind)) >> 63)
      on.push_back(kind);
  if (on.empty() && !all.empty())
    on.push_back(all[below(draw(seed, rng_stream::swarm, 64), all.size())]);
  return on;
}

std::string kinds_text(const std::vector<fault_kind>& kinds) {
  std::string text;
  for (auto kind : kinds)
    text += (text.empty() ? "" : "+") + std::string{to_string(kind)};
  return text.empty() ? "none" : text;
}

} // namespace execsim
