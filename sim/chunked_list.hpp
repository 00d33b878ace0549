// Elements that never move once added, in chunks of a fixed count: the
// stability of a std::deque without its 512-byte blocks (a 96-byte element
// leaves 32 bytes of each unused, and each block has a heap header), for
// the million elements a run keeps (the exchange's orders).
#pragma once

#include "sim/assert.hpp"

#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

namespace execsim {

template <class T, std::size_t ChunkSize = 4096>
class chunked_list {
public:
  class const_iterator {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    const_iterator(const chunked_list* list, std::size_t at) noexcept
      : list_(list), at_(at) {
    }
    const T& operator*() const noexcept {
      return (*list_)[at_];
    }
    const T* operator->() const noexcept {
      return &(*list_)[at_];
    }
    const_iterator& operator++() noexcept {
      ++at_;
      return *this;
    }
    friend bool operator==(const const_iterator& a,
                           const const_iterator& b) noexcept {
      return a.at_ == b.at_;
    }
    friend bool operator!=(const const_iterator& a,
                           const const_iterator& b) noexcept {
      return a.at_ != b.at_;
    }

  private:
    const chunked_list* list_;
    std::size_t at_;
  };

  /// Appends a copy of `v`; returns it (where it stays).
  T& push_back(const T& v) {
    if (size_ % ChunkSize == 0)
      chunks_.push_back(std::make_unique<T[]>(ChunkSize));
    T& slot = chunks_.back()[size_ % ChunkSize];
    slot = v;
    ++size_;
    return slot;
  }

  T& operator[](std::size_t i) noexcept {
    EXECSIM_ASSERT(i < size_);
    return chunks_[i / ChunkSize][i % ChunkSize];
  }
  const T& operator[](std::size_t i) const noexcept {
    EXECSIM_ASSERT(i < size_);
    return chunks_[i / ChunkSize][i % ChunkSize];
  }
  T& back() noexcept {
    return (*this)[size_ - 1];
  }

  std::size_t size() const noexcept {
    return size_;
  }
  bool empty() const noexcept {
    return size_ == 0;
  }
  const_iterator begin() const noexcept {
    return {this, 0};
  }
  const_iterator end() const noexcept {
    return {this, size_};
  }

private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

} // namespace execsim
