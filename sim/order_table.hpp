// The run's orders, by index. An order's state is freed when it is released
// (result given, nothing of it still travelling) unless an [[expect]] needs
// it, so memory follows the orders in flight, not the orders in the run.
#pragma once

#include "sim/order_state.hpp"

#include "sim/assert.hpp"
#include <cstdint>
#include <memory>
#include <vector>

namespace execsim {

class order_table {
public:
  order_ix add(order_spec spec, bool expected) {
    EXECSIM_ASSERT(slots_.size() < UINT32_MAX);
    EXECSIM_ASSERT(live_ <= slots_.size());
    auto st = std::make_unique<order_state>();
    st->spec = std::move(spec);
    st->expected = expected;
    slots_.push_back(std::move(st));
    ++live_;
    EXECSIM_ASSERT(live_ <= slots_.size());
    EXECSIM_ASSERT(slots_.back()->in_flight == 0 && !slots_.back()->result);
    return static_cast<order_ix>(slots_.size() - 1);
  }

  /// The state of a live (or kept) order.
  order_state& at(order_ix ix) noexcept {
    EXECSIM_ASSERT(ix < slots_.size() && slots_[ix] != nullptr);
    return *slots_[ix];
  }

  const order_state* find(order_ix ix) const noexcept {
    return ix < slots_.size() ? slots_[ix].get() : nullptr;
  }

  bool is_released(order_ix ix) const noexcept {
    return ix < released_.size() && released_[ix];
  }

  /// Marks the order done; frees its state unless it is expected.
  void release(order_ix ix) {
    EXECSIM_ASSERT(ix < slots_.size() && slots_[ix] != nullptr);
    if (released_.size() <= ix)
      released_.resize(slots_.size(), false);
    EXECSIM_ASSERT(!released_[ix]);
    // Released: nothing of it travels any more.
    EXECSIM_ASSERT(slots_[ix]->in_flight == 0);
    EXECSIM_ASSERT(live_ > 0);
    released_[ix] = true;
    --live_;
    slots_[ix]->executor = nullptr;
    if (!slots_[ix]->expected)
      slots_[ix].reset();
    EXECSIM_ASSERT(is_released(ix) && live_ < slots_.size());
  }

  /// Calls f(ix, state) for every order not released yet, by index.
  template <class F>
  void for_each_live(F f) {
    for (std::size_t ix = 0; ix < slots_.size(); ++ix)
      if (!is_released(static_cast<order_ix>(ix)) && slots_[ix])
        f(static_cast<order_ix>(ix), *slots_[ix]);
  }

  std::size_t size() const noexcept {
    return slots_.size();
  }

  std::size_t live() const noexcept {
    return live_;
  }

private:
  std::vector<std::unique_ptr<order_state>> slots_;
  std::vector<bool> released_;
  std::size_t live_ = 0;
};

} // namespace execsim
