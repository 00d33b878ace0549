// Text kept for a whole run, packed end to end in large blocks: a million
// short strings (keys, order ids) cost their bytes, not a std::string and a
// heap block each. What is kept never moves nor changes, so views of it
// stay valid until the pool goes.
#pragma once

#include "sim/assert.hpp"

#include <initializer_list>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace execsim {

class text_pool {
public:
  static constexpr std::size_t block_bytes = 64 * 1024;

  /// A copy of `parts`, end to end, in the pool; returns where it starts.
  /// Several parts in one call are contiguous (one pointer finds them all).
  const char* keep(std::initializer_list<std::string_view> parts) {
    std::size_t n = 0;
    for (auto p : parts)
      n += p.size();
    char* out = room(n);
    char* at = out;
    for (auto p : parts) {
      if (!p.empty())
        std::memcpy(at, p.data(), p.size());
      at += p.size();
    }
    EXECSIM_ASSERT(static_cast<std::size_t>(at - out) == n);
    return out;
  }

  std::string_view keep(std::string_view text) {
    return {keep({text}), text.size()};
  }

private:
  /// `n` bytes that stay put: the current block's rest, a new block, or
  /// (a text longer than a block) a block of its own.
  char* room(std::size_t n) {
    if (n > block_bytes) {
      big_.push_back(std::make_unique<char[]>(n));
      return big_.back().get();
    }
    if (blocks_.empty() || n > block_bytes - used_) {
      blocks_.push_back(std::make_unique<char[]>(block_bytes));
      used_ = 0;
    }
    char* out = blocks_.back().get() + used_;
    used_ += n;
    return out;
  }

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::unique_ptr<char[]>> big_;
  std::size_t used_ = 0; // bytes used of blocks_.back()
};

} // namespace execsim
