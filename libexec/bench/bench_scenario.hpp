// The scenario the end-to-end and scaling rows run: market orders "o1".."oN"
// for one priced symbol, 1us apart, default executor and exchange. Orders
// come from a generator, not [[orders]], so a million of them never sit in
// memory at once (the scaling row measures the simulator, not this list).
#pragma once

#include "sim/order_source.hpp"
#include "sim/scenario.hpp"

#include <cstdint>

namespace execsim::bench {

/// Chance of each of drop_request, drop_ack and network_error per submit:
/// together about one attempt in ten is faulted.
constexpr double fault_chance_each = 0.1 / 3;

/// Happy path (`faulted` = false), or random submit faults drawn from
/// [explore] (run it with run_options::explore = true).
scenario bench_scenario(bool faulted);

/// Market orders o1..oN, order k (1-based) at (k - 1) * spacing.
class generated_orders final : public order_source {
public:
  explicit generated_orders(std::uint64_t count, ns_t spacing = ns_per_us);
  const order_spec* peek() override;
  order_spec take() override;

private:
  void make(std::uint64_t k);

  std::uint64_t count_;
  ns_t spacing_;
  std::uint64_t next_ = 1;
  order_spec current_;
};

} // namespace execsim::bench
