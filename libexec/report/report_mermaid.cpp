#include "libexec/report/report_mermaid.hpp"

#include "sim/virtual_time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace execsim::cli {

namespace {

/// Longer message texts (event payloads) are cut: the arrow's width follows
/// its text, and the full line is in the trace table and the text report.
constexpr std::size_t text_chars_max = 80;

constexpr const char* executor_prefix = "executor/";

/// The actors of every run, in the diagram's left-to-right order; the
/// executors go right after the driver.
const std::vector<std::string> fixed_before = {"driver"};
const std::vector<std::string> fixed_after = {"exchange", "bus", "tracker",
                                              "recorder", "network"};

/// One trace line: "<at_ns> <from> -> <to>: <text>"; or a mark drawn from
/// the recorded rows (`at` set): a lost message (`lost`), or a note over
/// `from` when `to` is empty.
struct message {
  std::string from;
  std::string to;
  std::string text;
  ns_t at = 0;
  bool lost = false;
};

std::optional<message> parse(const std::string& line) {
  auto space = line.find(' ');
  if (space == std::string::npos)
    return std::nullopt;
  auto arrow = line.find(" -> ", space + 1);
  if (arrow == std::string::npos)
    return std::nullopt;
  auto colon = line.find(": ", arrow + 4);
  if (colon == std::string::npos)
    return std::nullopt;
  return message{line.substr(space + 1, arrow - space - 1),
                 line.substr(arrow + 4, colon - arrow - 4),
                 line.substr(colon + 2), 0, false};
}

/// Cuts at a character boundary (UTF-8 continuation bytes are 10xxxxxx).
std::string shortened(const std::string& text) {
  if (text.size() <= text_chars_max)
    return text;
  auto cut = text_chars_max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  return text.substr(0, cut) + "...";
}

std::string safe_id(const std::string& prefix, const std::string& name) {
  std::string id = prefix;
  for (char c : name)
    id += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '_';
  return id;
}

/// Participant names to Mermaid ids: actor names as they are, executors
/// and anything else as safe ids labelled with the real name.
class participants {
public:
  participants(const std::vector<std::optional<message>>& shown,
               const std::vector<message>& marks) {
    for (const auto& name : fixed_before)
      add(name);
    for (const auto& m : marks)
      if (m.from.rfind(executor_prefix, 0) == 0)
        add(m.from);
    for (const auto& m : shown)
      if (m)
        for (const auto* name : {&m->from, &m->to})
          if (name->rfind(executor_prefix, 0) == 0)
            add(*name);
    // Only actors that send or receive a shown message are declared.
    std::set<std::string> used;
    for (const auto& m : shown)
      if (m)
        used.insert({m->from, m->to});
    for (const auto& m : marks)
      used.insert({m.from, m.to});
    for (const auto& name : fixed_after)
      if (used.count(name) != 0)
        add(name);
    for (const auto& m : shown)
      if (m) {
        add(m->from);
        add(m->to);
      }
  }

  const std::string& id(const std::string& name) const {
    return ids_.at(name);
  }

  std::string declarations() const {
    std::string out;
    for (const auto& name : order_) {
      const auto& id = ids_.at(name);
      if (id == name)
        out += fmt::format("  participant {}\n", id);
      else
        out += fmt::format("  participant {} as {}\n", id,
                           mermaid_escape(name));
    }
    return out;
  }

private:
  void add(const std::string& name) {
    if (ids_.count(name) != 0)
      return;
    bool fixed =
      std::find(fixed_before.begin(), fixed_before.end(), name)
        != fixed_before.end()
      || std::find(fixed_after.begin(), fixed_after.end(), name)
           != fixed_after.end();
    std::string id;
    if (fixed)
      id = name;
    else if (name.rfind(executor_prefix, 0) == 0)
      id = safe_id("E_", name.substr(std::string(executor_prefix).size()));
    else
      id = safe_id("P_", name);
    // "o-1" and "o_1" would both be E_o_1.
    auto base = id;
    for (int n = 2; used_.count(id) != 0; ++n)
      id = fmt::format("{}_{}", base, n);
    used_.insert(id);
    ids_.emplace(name, id);
    order_.push_back(name);
  }

  std::map<std::string, std::string> ids_;
  std::set<std::string> used_;
  std::vector<std::string> order_;
};

std::string executor_of(const std::optional<std::string>& order_id) {
  return order_id ? executor_prefix + *order_id : std::string{"exchange"};
}

/// A fault as the diagram draws it: a lost message crosses out where it
/// was lost, any other fault is a note over the executor it hit.
message fault_mark(const fault_row& f) {
  auto executor = executor_of(f.order_id);
  auto k = f.attempt ? *f.attempt : 0;
  auto lost = [&](std::string from, std::string to, std::string what) {
    return message{std::move(from), std::move(to),
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
  return message{executor, "",
                 fmt::format("fault {}{}{}", f.kind, on,
                             f.detail.empty() ? "" : " (" + f.detail + ")"),
                 f.at_ns, false};
}

/// Fills and faults from the recording, in time order (a fill before the
/// fault on its answer at one instant).
std::vector<message> marks_of(const row_batch& rows) {
  std::vector<message> marks;
  for (const auto& f : rows.fills)
    marks.push_back({"exchange", "",
                     fmt::format("fill {} @ {} ({}) for {}", f.quantity,
                                 f.price, f.exchange_order_id, f.order_id),
                     f.filled_at_ns, false});
  for (const auto& f : rows.faults)
    marks.push_back(fault_mark(f));
  std::stable_sort(marks.begin(), marks.end(),
                   [](const message& a, const message& b) {
                     return a.at < b.at;
                   });
  return marks;
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

/// A drawn arrow's time and text: a request at its send time (the trace
/// line is its delivery), a timer by its kind and attempt.
std::pair<ns_t, std::string> labelled(const message& m, ns_t at,
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

} // namespace

std::string mermaid_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case ';': out += "#59;"; break;
      case '#': out += "#35;"; break;
      case '{': out += "#123;"; break;
      case '}': out += "#125;"; break;
      case '<': out += "#60;"; break;
      case '>': out += "#62;"; break;
      case '&': out += "#38;"; break;
      // A line break would end the statement; trace lines have none, but
      // a recording is outside input.
      case '\n':
      case '\r': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string mark_text(const participants& people, const message& m) {
  auto text = format_duration(m.at) + " " + mermaid_escape(shortened(m.text));
  if (m.to.empty())
    return fmt::format("  Note over {}: {}\n", people.id(m.from), text);
  return fmt::format("  {}-x{}: {}\n", people.id(m.from), people.id(m.to),
                     text);
}

} // namespace

std::string report_mermaid(const std::vector<trace_row>& trace,
                           const row_batch& rows, std::size_t arrows_max) {
  auto shown_n = std::min(trace.size(), arrows_max);
  std::vector<std::optional<message>> shown;
  shown.reserve(shown_n);
  for (std::size_t i = 0; i < shown_n; ++i)
    shown.push_back(parse(trace[i].line));
  auto marks = marks_of(rows);
  participants people{shown, marks};

  std::string out = "sequenceDiagram\n" + people.declarations();
  std::size_t next_mark = 0;
  for (std::size_t i = 0; i < shown_n; ++i) {
    // A mark goes before the first line after its time.
    for (; next_mark < marks.size() && marks[next_mark].at < trace[i].at_ns;
         ++next_mark)
      out += mark_text(people, marks[next_mark]);
    if (const auto& m = shown[i]) {
      auto [at, text] = labelled(*m, trace[i].at_ns, rows);
      out += fmt::format("  {}->>{}: {} {}\n", people.id(m->from),
                         people.id(m->to), format_duration(at),
                         mermaid_escape(shortened(text)));
    } else // not a message line: shown as it is rather than lost
      out += fmt::format("  Note over driver: {} {}\n",
                         format_duration(trace[i].at_ns),
                         mermaid_escape(shortened(trace[i].line)));
  }
  if (trace.size() > shown_n)
    out += fmt::format("  Note over driver: {} more messages not shown\n",
                       trace.size() - shown_n);
  else
    for (; next_mark < marks.size(); ++next_mark)
      out += mark_text(people, marks[next_mark]);
  return out;
}

} // namespace execsim::cli
