#include "sim/boundary_target.hpp"

#include "sim/rng.hpp"

#include <fmt/format.h>

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

std::optional<ns_t> outage_end_at_start(const std::vector<order_spec>& orders,
                                        ns_t now, edge_offset offset,
                                        ns_t max) noexcept {
  std::optional<ns_t> next;
  for (const auto& o : orders)
    if (o.at > now && (!next || o.at < *next))
      next = o.at;
  if (!next)
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
