// The messages of a recorded run as the diagrams draw them: its trace lines
// ("<at_ns> <from> -> <to>: <text>", each a delivered message), requests at
// their send time, timers by kind and attempt, and the faults of its rows
// (a lost message, or a fault on an actor). Shared by the Mermaid and the
// HTML report.
#pragma once

#include "sim/records.hpp"
#include "sim/virtual_time.hpp"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

namespace execsim::cli {

/// Executor actors are named "executor/<order id>".
constexpr const char* executor_prefix = "executor/";

/// One trace line; or a mark drawn from the recorded rows (`at` set): a
/// lost message (`lost`), or a mark on `from` when `to` is empty.
struct trace_message {
  std::string from;
  std::string to;
  std::string text;
  ns_t at = 0;
  bool lost = false;
};

/// The message of a trace line; nullopt for a line that is not one.
std::optional<trace_message> parse_trace_line(const std::string& line);

/// A fault as a mark at its time: a dropped request, ack or check is a
/// lost message from its sender towards its receiver; any other fault is a
/// mark on the executor it hit (the exchange for one tied to no order).
trace_message fault_mark(const fault_row& f);

/// A traced message's send time and text: a request at its send time (the
/// trace line, at `at`, is its delivery), a timer by its kind and attempt
/// ("submit timeout, attempt 1"); anything else as it is, at `at`.
std::pair<ns_t, std::string> labelled(const trace_message& m, ns_t at,
                                      const row_batch& rows);

/// When the exchange sent each answer: when it received the request the
/// answer is for (the trace has deliveries only; a delayed or slow answer
/// left the exchange then). Fed the trace in order, one message at a time.
class answer_send_times {
public:
  /// Notes `m`, delivered at `at`, if it is a request to the exchange.
  void note(const trace_message& m, ns_t at);

  /// The send time of `m` if it is an answer of the exchange to a request
  /// noted before; nullopt otherwise.
  std::optional<ns_t> sent(const trace_message& m) const;

private:
  /// (order, check?, attempt) -> the latest receipt of that request.
  std::map<std::tuple<std::string, bool, int>, ns_t> received_;
};

} // namespace execsim::cli
