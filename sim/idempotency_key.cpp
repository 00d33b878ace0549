#include "sim/idempotency_key.hpp"

#include <fmt/format.h>

namespace execsim {

std::string idempotency_key(const order_spec& order) {
  return fmt::format("{}:{}:{}:{}:{}:v1", order.trader, order.symbol,
                     order.quantity,
                     order.price ? order.price->to_string() : "MKT",
                     order.timestamp);
}

} // namespace execsim
