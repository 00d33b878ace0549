// Seeded randomness with a fixed algorithm (splitmix64) and our own mapping
// to ranges, so every build and standard library draws the same numbers.
//
// Draws are counter-based: a draw is a pure function of (seed, stream, and
// the identity of what it is for), not of how many draws came before. So a
// latency drawn for order o7's second attempt stays the same when a fault
// elsewhere is removed, which keeps shrunk scenarios faithful.
#pragma once

#include "sim/wide_int.hpp"

#include <cstdint>
#include <string_view>

namespace execsim {

constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// FNV-1a, to turn names (order ids, streams) into draw coordinates.
constexpr std::uint64_t hash_name(std::string_view s) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

/// Named random streams, so a draw for one purpose never reuses another's.
enum class rng_stream : std::uint64_t {
  latency = 1,
  jitter = 2,
  explore = 3,
  market = 4,
  orders = 5,
  latency_lognormal = 6,
  latency_spike = 7,
  swarm = 8,
  boundary = 9,
  /// [explore] delay_check's draws (whether and how long): a stream of its
  /// own, last, so adding it changed no other stream's numbers.
  delay_check = 10,
};

/// A random 64-bit word for coordinates (a, b, c) of `stream` under `seed`.
constexpr std::uint64_t draw(std::uint64_t seed, rng_stream stream,
                             std::uint64_t a, std::uint64_t b = 0,
                             std::uint64_t c = 0) noexcept {
  auto h = splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(stream)));
  h = splitmix64(h ^ a);
  h = splitmix64(h ^ (b * 0x9E3779B97F4A7C15ULL));
  return splitmix64(h ^ (c * 0xD1B54A32D192ED03ULL));
}

/// Maps a word to [0, n) by a 128-bit multiply (no modulo bias worth
/// mentioning, and no standard-library distribution).
constexpr std::uint64_t below(std::uint64_t word, std::uint64_t n) noexcept {
  return static_cast<std::uint64_t>((static_cast<uint128_t>(word) * n) >> 64);
}

/// Maps a word to [lo, hi] inclusive.
constexpr std::int64_t between(std::uint64_t word, std::int64_t lo,
                               std::int64_t hi) noexcept {
  auto span = static_cast<std::uint64_t>(hi - lo) + 1;
  return span == 0 ? lo + static_cast<std::int64_t>(word) // full range
                   : lo + static_cast<std::int64_t>(below(word, span));
}

/// Maps a word to [0, 1) with 53 bits.
constexpr double unit_interval(std::uint64_t word) noexcept {
  return static_cast<double>(word >> 11) * (1.0 / 9007199254740992.0);
}

/// A sequential generator for data generation (gen-market, gen-orders).
class rng_sequence {
public:
  constexpr explicit rng_sequence(std::uint64_t seed) noexcept : state_(seed) {
  }
  constexpr std::uint64_t next() noexcept {
    state_ += 0x9E3779B97F4A7C15ULL;
    return splitmix64(state_);
  }

private:
  std::uint64_t state_;
};

} // namespace execsim
