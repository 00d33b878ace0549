// One action an executor takes through its executor_port, as data: what the
// port's rules (port_rules.hpp) judge before it is carried out, and what one
// line of the process protocol (actors/process/protocol_line.hpp) becomes.
#pragma once

#include "sim/messages.hpp"

#include <cstdint>
#include <string>

namespace execsim {

struct port_action {
  enum class kind : std::uint8_t {
    submit,
    check,
    set_timer,
    cancel_timer,
    timed_out,
    check_timed_out,
    publish,
    finish,
  };
  kind what = kind::submit;
  /// submit, timed_out: the attempt; check, check_timed_out: after_attempt.
  int attempt = 0;
  /// submit, check.
  std::string idem_key;
  /// check: a poll (executor_port::poll, the protocol's "poll": true): the
  /// attempt need not have failed.
  bool poll = false;
  /// set_timer, cancel_timer.
  std::uint64_t timer_id = 0;
  ns_t after_ns = 0;
  /// publish.
  event_channel channel = event_channel::execution_started;
  std::string payload_json;
  /// finish.
  execution_result result;
};

/// The protocol's name of the action ("submit", "check", "set_timer",
/// "cancel_timer", "timed_out", "check_timed_out", "publish", "result").
const char* protocol_name(port_action::kind k) noexcept;

/// The action as the C++ call that made it, for errors:
/// `submit(0, "T1:...")`, `set_timer(7, -5)`, `finish(success=true, ...)`.
std::string describe_call(const port_action& a);

} // namespace execsim
