// The original service's idempotency key:
//   {trader}:{symbol}:{quantity}:{price}:{timestamp}:v1   (price MKT = market)
#pragma once

#include "sim/scenario.hpp"

#include <string>

namespace execsim {

std::string idempotency_key(const order_spec& order);

} // namespace execsim
