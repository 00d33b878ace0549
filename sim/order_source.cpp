#include "sim/order_source.hpp"

#include <algorithm>
#include "sim/assert.hpp"

namespace execsim {

vector_order_source::vector_order_source(const std::vector<order_spec>& orders) {
  sorted_.reserve(orders.size());
  for (const auto& o : orders)
    sorted_.push_back(&o);
  std::stable_sort(sorted_.begin(), sorted_.end(),
                   [](const order_spec* a, const order_spec* b) {
                     return a->at < b->at;
                   });
}

const order_spec* vector_order_source::peek() {
  return next_ < sorted_.size() ? sorted_[next_] : nullptr;
}

order_spec vector_order_source::take() {
  EXECSIM_ASSERT(next_ < sorted_.size());
  return *sorted_[next_++];
}

} // namespace execsim
