// [[expect]] entries checked against what the run observed.
#pragma once

#include "sim/order_state.hpp"
#include "sim/scenario.hpp"

#include <string>
#include <vector>

namespace execsim {

class exchange_ledger;

struct expectation_failure {
  std::string order;
  /// "retry_count: expected 1, got 2"
  std::string message;
  /// The order's attempts, checks and result in virtual time.
  std::string timeline;
};

/// Checks `e` against the order's state (nullptr: the order never ran).
std::vector<expectation_failure>
check_expectation(const expectation& e, const order_state* o,
                  const exchange_ledger& book);

/// "  0s        attempt 1 sent\n  500ms     attempt 1 timeout\n..."
std::string order_timeline(const order_state& o);

} // namespace execsim
