#include "libexec/report/trace_messages.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

namespace execsim::cli {

namespace {

std::string executor_of(const std::optional<std::string>& order_id) {
  return order_id ? executor_prefix + *order_id : std::string{"exchange"};
}

/// The number after `key` in `text` ("attempt=2" -> 2); -1 = none.
int number_after(const std::string& text, const std::string& key) {
  auto at = text.find(key);
  if (at == std::string::npos)
    return -1;
  int n = 0;
  bool any = false;
  for (auto i = at + key.size();
       i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
       ++i, any = true)
    n = n * 10 + (text[i] - '0');
  return any ? n : -1;
}

/// A timer by its kind and attempt. The built-in executor's timer ids are
/// kind << 32 | attempt (1 submit timeout, 2 check timeout, 3 backoff);
/// a label is given only when the recording has that attempt or check
/// sent before the timer fired, else the id is kept ("timer 0x...").
std::string timer_text(const std::string& text, const std::string& order,
                       ns_t at, const row_batch& rows) {
  auto id = std::strtoull(text.c_str() + 6, nullptr, 16);
  auto kind = id >> 32;
  auto k = static_cast<int>(id & 0xffffffffULL);
  if (kind == 1 || kind == 3)
    for (const auto& a : rows.attempts)
      if (a.order_id == order && a.attempt == k && a.sent_at_ns <= at)
        return fmt::format(kind == 1 ? "submit timeout, attempt {}"
                                     : "backoff after attempt {}",
                           k);
  if (kind == 2)
    for (const auto& c : rows.checks)
      if (c.order_id == order && c.after_attempt == k && c.sent_at_ns <= at)
        return fmt::format("check timeout, check after attempt {}", k);
  return text;
}

} // namespace

std::optional<trace_message> parse_trace_line(const std::string& line) {
  auto space = line.find(' ');
  if (space == std::string::npos)
    return std::nullopt;
  auto arrow = line.find(" -> ", space + 1);
  if (arrow == std::string::npos)
    return std::nullopt;
  auto colon = line.find(": ", arrow + 4);
  if (colon == std::string::npos)
    return std::nullopt;
  return trace_message{line.substr(space + 1, arrow - space - 1),
                 line.substr(arrow + 4, colon - arrow - 4),
                 line.substr(colon + 2), 0, false};
}

/// A fault as the diagram draws it: a lost message crosses out where it
/// was lost, any other fault is a note over the executor it hit.
trace_message fault_mark(const fault_row& f) {
  auto executor = executor_of(f.order_id);
  auto k = f.attempt ? *f.attempt : 0;
  auto lost = [&](std::string from, std::string to, std::string what) {
    return trace_message{std::move(from), std::move(to),
                   fmt::format("{} lost: {}", what, f.kind), f.at_ns, true};
  };
  if (f.order_id && f.kind == "drop_request")
    return lost(executor, "exchange", fmt::format("submit attempt={}", k));
  if (f.order_id && f.kind == "drop_ack")
    return lost("exchange", executor, fmt::format("ack attempt={}", k));
  if (f.order_id && f.kind == "check_drop")
    return lost(executor, "exchange",
                fmt::format("check after_attempt={}", k));
  auto on = f.attempt ? fmt::format(" on attempt {}", k) : std::string{};
  return trace_message{executor, "",
                 fmt::format("fault {}{}{}", f.kind, on,
                             f.detail.empty() ? "" : " (" + f.detail + ")"),
                 f.at_ns, false};
}

/// A drawn arrow's time and text: a request at its send time (the trace
/// line is its delivery), a timer by its kind and attempt.
std::pair<ns_t, std::string> labelled(const trace_message& m, ns_t at,
                                      const row_batch& rows) {
  if (m.from.rfind(executor_prefix, 0) != 0)
    return {at, m.text};
  auto order = m.from.substr(std::string(executor_prefix).size());
  if (m.text.rfind("submit ", 0) == 0)
    for (const auto& a : rows.attempts)
      if (a.order_id == order
          && a.attempt == number_after(m.text, "attempt="))
        return {a.sent_at_ns, m.text};
  if (m.text.rfind("check ", 0) == 0)
    for (const auto& c : rows.checks)
      if (c.order_id == order
          && c.after_attempt == number_after(m.text, "after_attempt="))
        return {c.sent_at_ns, m.text};
  if (m.from == m.to && m.text.rfind("timer 0x", 0) == 0)
    return {at, timer_text(m.text, order, at, rows)};
  return {at, m.text};
}

void answer_send_times::note(const trace_message& m, ns_t at) {
  if (m.to != "exchange" || m.from.rfind(executor_prefix, 0) != 0)
    return;
  auto order = m.from.substr(std::string(executor_prefix).size());
  if (m.text.rfind("submit ", 0) == 0)
    received_[{order, false, number_after(m.text, "attempt=")}] = at;
  else if (m.text.rfind("check ", 0) == 0)
    received_[{order, true, number_after(m.text, "after_attempt=")}] = at;
}

std::optional<ns_t> answer_send_times::sent(const trace_message& m) const {
  if (m.from != "exchange" || m.to.rfind(executor_prefix, 0) != 0)
    return std::nullopt;
  auto order = m.to.substr(std::string(executor_prefix).size());
  std::map<std::tuple<std::string, bool, int>, ns_t>::const_iterator it;
  if (m.text.rfind("submit_answer ", 0) == 0)
    it = received_.find({order, false, number_after(m.text, "attempt=")});
  else if (m.text.rfind("check_answer ", 0) == 0)
    it = received_.find({order, true, number_after(m.text, "after_attempt=")});
  else
    return std::nullopt;
  if (it == received_.end())
    return std::nullopt;
  return it->second;
}

} // namespace execsim::cli
