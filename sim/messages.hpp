// The messages actors exchange. Orders travel as indices into the run's
// order table (sim/order_table.hpp): cheap to copy, and the table is the one
// owner of each order's text.
#pragma once

#include "sim/decimal.hpp"
#include "sim/virtual_time.hpp"

#include <caf/allowed_unsafe_message_type.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace execsim {

using order_ix = std::uint32_t;

/// Bus channels of the original service, in the order they may occur;
/// then `reconciled`, which only the reconciler publishes (after a
/// STATUS_UNKNOWN failure), never an executor.
enum class event_channel : std::uint8_t {
  execution_started,
  executed,
  recovered,
  execution_failed,
  reconciled,
};

constexpr const char* to_string(event_channel x) noexcept {
  switch (x) {
    case event_channel::execution_started: return "order.execution_started";
    case event_channel::executed: return "order.executed";
    case event_channel::recovered: return "order.recovered";
    case event_channel::execution_failed: return "order.execution_failed";
    case event_channel::reconciled: return "order.reconciled";
  }
  return "?";
}

/// Driver -> executor: execute this order.
struct execute_msg {
  order_ix order = 0;
};

/// Executor -> exchange (through the network): submit attempt `attempt`.
struct submit_msg {
  order_ix order = 0;
  int attempt = 0;
  std::string idem_key;
};

enum class submit_status : std::uint8_t { ack, rejected, network_error };

constexpr const char* to_string(submit_status x) noexcept {
  switch (x) {
    case submit_status::ack: return "ack";
    case submit_status::rejected: return "rejected";
    case submit_status::network_error: return "network_error";
  }
  return "?";
}

/// Exchange (or the network, for a network error) -> executor.
struct submit_answer {
  order_ix order = 0;
  int attempt = 0;
  submit_status status = submit_status::ack;
  std::string error_code;          // rejected: the exchange's code
  std::uint64_t exchange_order = 0; // ack: N of "X-N"
  std::optional<decimal> fill_price; // ack: set when (partly) filled
  std::int64_t filled_quantity = 0;
  ns_t retry_after = 0;             // rejected: wait this long (0 = not said)
};

/// Executor -> exchange: is there an order with this key?
struct check_msg {
  order_ix order = 0;
  int after_attempt = 0;
  std::string idem_key;
  /// > 0: the reconciler's query number `query` (after the result), not an
  /// executor's check.
  int query = 0;
};

enum class check_status : std::uint8_t {
  found,
  not_found,
  failed,        // the exchange answered with an error
  network_error, // the check never left (outage)
};

constexpr const char* to_string(check_status x) noexcept {
  switch (x) {
    case check_status::found: return "found";
    case check_status::not_found: return "not_found";
    case check_status::failed: return "failed";
    case check_status::network_error: return "network_error";
  }
  return "?";
}

struct check_answer {
  order_ix order = 0;
  int after_attempt = 0;
  check_status status = check_status::not_found;
  std::uint64_t exchange_order = 0; // found: N of "X-N"
  std::optional<decimal> fill_price;
  ns_t retry_after = 0; // failed (rate_limit): wait this long (0 = not said)
  int query = 0;        // the reconciler's query it answers (0 = a check)
};

/// A timer an executor asked for, delivered back to it. `serial` tells
/// one set_timer from another with the same id (cancel_timer).
struct timer_msg {
  std::uint64_t id = 0;
  std::uint64_t serial = 0;
};

/// Executor -> bus -> subscribers. `seq` is the publish order in the run.
struct event_msg {
  std::int64_t seq = 0;
  ns_t at = 0;
  event_channel channel = event_channel::execution_started;
  order_ix order = 0;
  std::string order_id; // the scenario's id (the order may be released)
  std::string payload;  // JSON
};

/// What an execution ends with (the original service's ExecutionResult).
struct execution_result {
  bool success = false;
  std::uint64_t exchange_order = 0; // 0 = none
  std::optional<decimal> fill_price;
  std::string error;
  int retry_count = 0;
  std::string error_code;
};

/// Executor -> driver: the order's result.
struct result_msg {
  order_ix order = 0;
  std::string order_id; // the scenario's id (the order may be released)
  execution_result result;
};

/// Driver -> itself: orders due now may start.
struct feed_msg {};

/// Reconciler -> itself: time for the next query about this order.
struct reconcile_timer_msg {
  order_ix order = 0;
};

/// Reconciler -> executor: the reconciliation of its order is over, so the
/// order may be released.
struct reconcile_done_msg {};

/// "X-7" for 7.
std::string exchange_order_name(std::uint64_t n);

} // namespace execsim

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::execute_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::submit_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::submit_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::check_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::check_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::timer_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::event_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::result_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::feed_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::reconcile_timer_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::reconcile_done_msg)
