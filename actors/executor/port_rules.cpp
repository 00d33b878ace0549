#include "actors/executor/port_rules.hpp"

#include <fmt/format.h>

namespace execsim {

namespace {

std::string attempt_range(int attempt, const char* field) {
  if (attempt >= 1 && attempt <= port_attempt_max)
    return {};
  return fmt::format("{} {} is out of range 1..{}", field, attempt,
                     port_attempt_max);
}

std::string never_sent(const order_state& st, int attempt) {
  if (static_cast<std::size_t>(attempt) <= st.attempts.size())
    return {};
  return fmt::format("attempt {} was never sent ({} sent so far)", attempt,
                     st.attempts.size());
}

const attempt_obs& attempt_of(const order_state& st, int attempt) {
  return st.attempts[static_cast<std::size_t>(attempt) - 1];
}

std::string submit_refusal(const order_state& st, const port_action& a) {
  if (auto r = attempt_range(a.attempt, "attempt"); !r.empty())
    return r;
  if (st.result)
    return fmt::format("submit of attempt {} after the order's result",
                       a.attempt);
  auto next = static_cast<int>(st.attempts.size()) + 1;
  if (a.attempt < next)
    return fmt::format("attempt {} was already sent", a.attempt);
  if (a.attempt > next)
    return fmt::format("attempt {} skips attempt {} (attempts are numbered "
                       "1, 2, 3, ...)",
                       a.attempt, next);
  if (a.idem_key.empty())
    return "idem_key is empty";
  return {};
}

/// Why a (non-poll) check after this attempt is refused: it has not failed.
std::string failed_refusal(const attempt_obs& obs, int attempt) {
  if (!obs.timed_out && !obs.answer)
    return fmt::format("attempt {} has not failed: it has no answer yet and "
                       "was not declared timed out (send timed_out first)",
                       attempt);
  if (!obs.timed_out && *obs.answer == submit_status::ack)
    return fmt::format("attempt {} has not failed: the exchange acknowledged "
                       "it",
                       attempt);
  return {};
}

/// after_attempt 0 is a poll before the first submit: unmodified code often
/// asks the venue whether the order already exists before placing it.
/// Any other check follows an attempt.
std::string after_attempt_range(const port_action& a) {
  if (a.attempt == 0 && a.poll)
    return {};
  auto r = attempt_range(a.attempt, "after_attempt");
  if (!r.empty() && a.attempt == 0)
    r += " (only a poll may come before attempt 1)";
  return r;
}

std::string check_refusal(const order_state& st, const port_action& a) {
  if (auto r = after_attempt_range(a); !r.empty())
    return r;
  if (st.result)
    return fmt::format("check after attempt {} after the order's result",
                       a.attempt);
  if (auto r = never_sent(st, a.attempt); !r.empty())
    return r;
  // A poll may ask after any attempt sent, before the result.
  if (!a.poll)
    if (auto r = failed_refusal(attempt_of(st, a.attempt), a.attempt);
        !r.empty())
      return r;
  if (a.idem_key.empty())
    return "idem_key is empty";
  return {};
}

std::string timer_refusal(const port_action& a) {
  if (a.after_ns < 0)
    return fmt::format("after_ns {} is negative", a.after_ns);
  if (a.after_ns > port_timer_ns_max)
    return fmt::format("after_ns {} is more than 365 days ({} ns)", a.after_ns,
                       port_timer_ns_max);
  return {};
}

std::string timed_out_refusal(const order_state& st, const port_action& a) {
  if (auto r = attempt_range(a.attempt, "attempt"); !r.empty())
    return r;
  if (auto r = never_sent(st, a.attempt); !r.empty())
    return r;
  const auto& obs = attempt_of(st, a.attempt);
  if (obs.answer)
    return fmt::format("attempt {} was already answered ({})", a.attempt,
                       to_string(*obs.answer));
  if (obs.timed_out)
    return fmt::format("attempt {} already timed out", a.attempt);
  return {};
}

std::string check_timed_out_refusal(const order_state& st,
                                    const port_action& a) {
  // 0: a poll sent before the first submit (after_attempt_range).
  if (a.attempt != 0)
    if (auto r = attempt_range(a.attempt, "after_attempt"); !r.empty())
      return r;
  for (auto i = st.checks.rbegin(); i != st.checks.rend(); ++i)
    if (i->after_attempt == a.attempt) {
      if (i->answered_at)
        return fmt::format("the check after attempt {} was already answered",
                           a.attempt);
      if (i->timed_out)
        return fmt::format("the check after attempt {} already timed out",
                           a.attempt);
      return {};
    }
  return fmt::format("no check after attempt {} was sent", a.attempt);
}

// A second result and an event after the result are not refused here: they
// are what the `terminal` invariant exists to catch in a user's executor, so
// they fail the run (exit 1, nameable in expect_violations), not the input.
std::string finish_refusal(const port_action& a) {
  if (a.result.retry_count < 0)
    return fmt::format("retry_count {} is negative", a.result.retry_count);
  return {};
}

} // namespace

std::string port_refusal(const order_state& st, const port_action& a) {
  switch (a.what) {
    case port_action::kind::submit:
      return submit_refusal(st, a);
    case port_action::kind::check:
      return check_refusal(st, a);
    case port_action::kind::set_timer:
      return timer_refusal(a);
    case port_action::kind::cancel_timer:
      return {}; // any id, any time: an unknown or fired timer is a no-op
    case port_action::kind::timed_out:
      return timed_out_refusal(st, a);
    case port_action::kind::check_timed_out:
      return check_timed_out_refusal(st, a);
    case port_action::kind::publish:
      return {};
    case port_action::kind::finish:
      return finish_refusal(a);
  }
  return "unknown action";
}

} // namespace execsim
