// A lookup from text to a number (1, 2, ...), for a million keys in a few
// bytes each: open addressing over 8-byte slots that hold the number and
// the key's hash, the text itself staying where its owner keeps it (the
// caller's `key_of` gives it back for a number). Only looked up, never
// walked, so hash order cannot reach a trace or a recording.
#pragma once

#include "sim/assert.hpp"

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace execsim {

class view_index {
public:
  /// The number stored for `key`, 0 when none. `key_of(number)` is the
  /// text the number was stored with.
  template <class KeyOf>
  std::uint32_t find(std::string_view key, const KeyOf& key_of) const {
    if (slots_.empty())
      return 0;
    const auto h = hash(key);
    for (auto i = h & mask(); slots_[i].value != 0; i = (i + 1) & mask())
      if (slots_[i].hash == h && key_of(slots_[i].value) == key)
        return slots_[i].value;
    return 0;
  }

  /// Stores `value` (>= 1) for `key`, which must not be stored yet.
  void insert(std::string_view key, std::uint32_t value) {
    EXECSIM_ASSERT(value != 0);
    // At most half full: short probe runs, and the slots double at most
    // once per doubling of the keys (8 to 16 bytes a key).
    if ((size_ + 1) * 2 > slots_.size())
      grow();
    place({value, hash(key)});
    ++size_;
  }

  std::size_t size() const noexcept {
    return size_;
  }

private:
  struct slot {
    std::uint32_t value = 0; // 0: empty
    std::uint32_t hash = 0;
  };

  static std::uint32_t hash(std::string_view key) noexcept {
    // The low bits pick the slot: std::hash mixes all of the key into them.
    return static_cast<std::uint32_t>(std::hash<std::string_view>{}(key));
  }
  std::uint32_t mask() const noexcept {
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }

  void place(slot s) {
    auto i = s.hash & mask();
    while (slots_[i].value != 0)
      i = (i + 1) & mask();
    slots_[i] = s;
  }

  void grow() {
    // Capacity a power of two up to 2^32: the stored 32-bit hash picks
    // the new slot, so growing never needs the keys themselves.
    EXECSIM_ASSERT(slots_.size() < (std::size_t{1} << 31));
    std::vector<slot> old(slots_.empty() ? 16 : slots_.size() * 2);
    old.swap(slots_);
    for (const auto& s : old)
      if (s.value != 0)
        place(s);
  }

  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

} // namespace execsim
