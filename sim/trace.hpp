// The run's trace: one canonical line per delivered message, and a digest
// of all lines. Same scenario and seed => same lines => same digest.
#pragma once

#include "sim/virtual_time.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace execsim {

class trace {
public:
  /// Keeps at most `lines_max` lines in memory (for --trace, the recording
  /// and replay diffs); the digest always covers every line.
  explicit trace(std::size_t lines_max);
  ~trace();
  trace(const trace&) = delete;
  trace& operator=(const trace&) = delete;

  /// Called with each kept line as it is added (1-based number, time,
  /// text): the recording gets its trace rows while the run goes on, so
  /// that writing them overlaps the simulation instead of following it.
  using line_sink =
    std::function<void(std::int64_t seq, ns_t at, const std::string& line)>;
  void set_sink(line_sink sink) {
    sink_ = std::move(sink);
  }

  /// Adds "<at> <from> -> <to>: <what>".
  void add(ns_t at, std::string_view from, std::string_view to,
           std::string_view what);

  /// Hex of the xxHash64 of all lines, each ended by '\n'.
  std::string digest() const;

  std::uint64_t count() const noexcept {
    return count_;
  }

  /// The kept lines (the first `lines_max`).
  const std::vector<std::string>& lines() const noexcept {
    return lines_;
  }

  /// The virtual time of each kept line.
  const std::vector<ns_t>& times() const noexcept {
    return times_;
  }

private:
  struct hash_state;
  std::unique_ptr<hash_state> hash_;
  std::vector<std::string> lines_;
  std::vector<ns_t> times_;
  line_sink sink_;
  std::size_t lines_max_;
  std::uint64_t count_ = 0;
  std::string scratch_;
};

/// Where two traces first differ: the 1-based line number (0 = identical),
/// and the two lines ("" where one trace ended).
struct trace_difference {
  std::uint64_t line = 0;
  std::string expected;
  std::string actual;
};

trace_difference first_difference(const std::vector<std::string>& expected,
                                  const std::vector<std::string>& actual);

} // namespace execsim
