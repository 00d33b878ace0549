// A recorded order's timeline in causal order: its attempts, duplicate
// checks, fills, events and faults merged by virtual time, and at equal
// times in the order the executor's flow makes them happen. The text report
// prints these lines; the HTML report lists the same lines beside its
// drawing.
#pragma once

#include "sim/records.hpp"
#include "sim/virtual_time.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace execsim::cli {

/// When an unanswered attempt or check gave up. The recording keeps only
/// that none came; the timeouts come from the recorded scenario text.
struct report_timeouts {
  ns_t submit = 0;
  ns_t check = 0;
};

/// Where an entry goes among entries of one instant: attempt k's steps
/// (sent, filled, faulted, answered, then its check sent, faulted,
/// answered), the start event before every attempt, result events after.
struct step_key {
  int attempt;
  int step;
};

struct timeline_entry {
  ns_t at;
  step_key key;
  std::string text; // "attempt 1 sent", "fault drop_ack on attempt 1", ...
};

/// One order's rows from every table, each table in recorded order.
struct order_rows {
  std::vector<const attempt_row*> attempts;
  std::vector<const check_row*> checks;
  std::vector<const fill_row*> fills;
  std::vector<const event_row*> events;
  std::vector<const fault_row*> faults;
};

/// The rows of `rows` grouped by order id, one pass per table (pointers
/// into `rows`). Faults without an order are not in it.
std::map<std::string, order_rows> rows_by_order(const row_batch& rows);

/// One order's entries in causal order. Without `timeouts` (the recorded
/// scenario no longer loads) a timeout is shown at its request's time.
std::vector<timeline_entry>
order_timeline(const order_row& order, const order_rows& rows,
               const std::optional<report_timeouts>& timeouts);

/// The faults not tied to one order (an outage, say), in time order.
std::vector<timeline_entry> untied_faults(const row_batch& rows);

} // namespace execsim::cli
