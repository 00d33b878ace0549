#include "sim/boundary_target.hpp"

#include "sim/rng.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace execsim {

std::optional<edge_offset> boundary_draw(double p, std::uint64_t seed,
                                         std::uint64_t id_hash, int attempt,
                                         fault_kind kind) noexcept {
  if (p <= 0)
    return std::nullopt;
  // Coordinates as the fault's own draw, on another stream: whether it
  // fires (salt 0) and where (salt 1) are independent of every other draw.
  auto word = [&](std::uint64_t salt) {
    return draw(seed, rng_stream::boundary, id_hash,
                static_cast<std::uint64_t>(attempt),
                static_cast<std::uint64_t>(kind) * 16 + salt);
  };
  if (!(unit_interval(word(0)) < p))
    return std::nullopt;
  return static_cast<edge_offset>(below(word(1), 3)) - 1;
}

std::optional<ns_t> delay_landing_at(ns_t now, ns_t latency, ns_t target,
                                     ns_t max) noexcept {
  auto delay = target - now - latency;
  if (delay < 1 || delay > max)
    return std::nullopt;
  return delay;
}

std::vector<ns_t> sorted_starts(const std::vector<order_spec>& orders) {
  std::vector<ns_t> starts;
  starts.reserve(orders.size());
  for (const auto& o : orders)
    starts.push_back(o.at);
  std::sort(starts.begin(), starts.end());
  return starts;
}

std::optional<ns_t> outage_end_at_start(const std::vector<ns_t>& starts,
                                        ns_t now, edge_offset offset,
                                        ns_t max) noexcept {
  // The first start strictly after `now`: the smallest such, as a scan
  // over every order would find.
  auto next = std::upper_bound(starts.begin(), starts.end(), now);
  if (next == starts.end())
    return std::nullopt;
  auto until = *next + offset;
  if (until - now < 1 || until - now > max)
    return std::nullopt;
  return until;
}

std::string edge_text(edge_offset offset, std::string_view edge) {
  if (offset == 0)
    return fmt::format("at {}", edge);
  return fmt::format("1ns {} {}", offset < 0 ? "before" : "after", edge);
}

} // namespace execsim
