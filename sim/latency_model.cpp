#include "sim/latency_model.hpp"

#include "sim/assert.hpp"
#include "sim/rng.hpp"

#include <cmath>

namespace execsim {

namespace {

// Acklam's coefficients.
constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                        -2.759285104469687e+02, 1.383577518672690e+02,
                        -3.066479806614716e+01, 2.506628277459239e+00};
constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                        -1.556989798598866e+02, 6.680131188771972e+01,
                        -1.328068155288572e+01};
constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                        -2.400758277161838e+00, -2.549732539343734e+00,
                        4.374664141464968e+00,  2.938163982698783e+00};
constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                        2.445134137142996e+00, 3.754408661907416e+00};
constexpr double p_low = 0.02425;

/// The lower tail, u < p_low.
double lower_tail(double u) noexcept {
  double q = std::sqrt(-2 * std::log(u));
  return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q
          + c[5])
         / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
}

} // namespace

double open_unit_interval(std::uint64_t word) noexcept {
  // (k + 0.5) / 2^52 for k in [0, 2^52): symmetric, never 0 or 1 (with
  // 53 bits the largest would round to 1).
  return (static_cast<double>(word >> 12) + 0.5) * (1.0 / 4503599627370496.0);
}

double normal_quantile(double u) noexcept {
  EXECSIM_ASSERT(u > 0 && u < 1);
  if (u < p_low)
    return lower_tail(u);
  if (u > 1 - p_low)
    return -lower_tail(1 - u);
  double q = u - 0.5;
  double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
         * q
         / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

ns_t latency_for(const latency_range& l, std::uint64_t word) noexcept {
  if (l.dist == latency_dist::uniform)
    return l.min == l.max ? l.min : between(word, l.min, l.max);
  EXECSIM_ASSERT(l.median > 0 && l.p99 > l.median);
  const double median = static_cast<double>(l.median);
  const double sigma =
    std::log(static_cast<double>(l.p99) / median) / normal_p99;
  double x = median * std::exp(sigma * normal_quantile(open_unit_interval(word)));
  const double cap = static_cast<double>(latency_draw_max);
  if (!(x < cap))
    return latency_draw_max;
  return static_cast<ns_t>(x + 0.5); // x > 0: rounds to nearest
}

ns_t spike_for(const latency_spike_config& s, std::uint64_t word) noexcept {
  return s.p > 0 && unit_interval(word) < s.p ? s.extra : 0;
}

ns_t message_latency(const exchange_config& x, std::uint64_t seed,
                     std::uint64_t id_hash, int attempt, leg way) noexcept {
  const auto& l = x.latency;
  auto word = [&](rng_stream stream) {
    return draw(seed, stream, id_hash, static_cast<std::uint64_t>(attempt),
                static_cast<std::uint64_t>(way));
  };
  ns_t base = l.min;
  if (l.dist == latency_dist::lognormal)
    base = latency_for(l, word(rng_stream::latency_lognormal));
  else if (l.min != l.max)
    base = latency_for(l, word(rng_stream::latency));
  if (x.latency_spikes.p > 0)
    base += spike_for(x.latency_spikes, word(rng_stream::latency_spike));
  return base;
}

} // namespace execsim
