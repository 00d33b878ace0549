#include "actors/executor/port_action.hpp"

#include <fmt/format.h>

namespace execsim {

const char* protocol_name(port_action::kind k) noexcept {
  switch (k) {
    case port_action::kind::submit: return "submit";
    case port_action::kind::check: return "check";
    case port_action::kind::set_timer: return "set_timer";
    case port_action::kind::cancel_timer: return "cancel_timer";
    case port_action::kind::timed_out: return "timed_out";
    case port_action::kind::check_timed_out: return "check_timed_out";
    case port_action::kind::publish: return "publish";
    case port_action::kind::finish: return "result";
  }
  return "?";
}

std::string describe_call(const port_action& a) {
  switch (a.what) {
    case port_action::kind::submit:
      return fmt::format("submit({}, {:?})", a.attempt, a.idem_key);
    case port_action::kind::check:
      return fmt::format("{}({}, {:?})", a.poll ? "poll" : "check",
                         a.attempt, a.idem_key);
    case port_action::kind::set_timer:
      return fmt::format("set_timer({}, {})", a.timer_id, a.after_ns);
    case port_action::kind::cancel_timer:
      return fmt::format("cancel_timer({})", a.timer_id);
    case port_action::kind::timed_out:
      return fmt::format("attempt_timed_out({})", a.attempt);
    case port_action::kind::check_timed_out:
      return fmt::format("check_timed_out({})", a.attempt);
    case port_action::kind::publish:
      return fmt::format("publish({})", to_string(a.channel));
    case port_action::kind::finish:
      return fmt::format("finish(success={}, retry_count={})",
                         a.result.success, a.result.retry_count);
  }
  return "?";
}

} // namespace execsim
