// One line a process executor wrote on its stdout, parsed and checked on
// its own: text in, a port_action (or "ready", or nothing for a blank line)
// out, or the reason it is not valid protocol. Only the line is judged
// here (JSON, types, nulls, ranges, UTF-8, nesting); whether the action
// fits the order's state is port_rules.hpp's. Reference:
// docs/process-protocol.md.
#pragma once

#include "actors/executor/port_action.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace execsim {

struct protocol_line {
  enum class kind : std::uint8_t { blank, ready, action };
  kind what = kind::blank;
  /// The line's "type" ("submit", ...); "" for a blank line.
  std::string type;
  /// The action's "order_id".
  std::string order_id;
  /// kind::action: what to do.
  port_action action;
};

/// JSON nesting allowed in a line (a "payload" is any JSON up to this).
inline constexpr int protocol_depth_max = 64;

/// Parses one line (without its newline). nullopt and `error` set (a
/// sentence without the line itself) when it is not valid protocol.
std::optional<protocol_line> parse_protocol_line(std::string_view text,
                                                 std::string& error);

/// The line as shown in an error: its first 200 bytes, bytes that are not
/// printable UTF-8 as \xNN, "... (N bytes)" when cut.
std::string shown_line(std::string_view text);

/// `text` with bytes that are not printable UTF-8 (tab kept) as \xNN: safe
/// to print and to record, on one line.
std::string printable_text(std::string_view text);

} // namespace execsim
