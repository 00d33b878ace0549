#include "libexec/report/report_mermaid.hpp"

#include "libexec/report/trace_messages.hpp"

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

/// The actors of every run, in the diagram's left-to-right order; the
/// executors go right after the driver.
const std::vector<std::string> fixed_before = {"driver"};
const std::vector<std::string> fixed_after = {"exchange", "bus", "tracker",
                                              "recorder", "network"};

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
  participants(const std::vector<std::optional<trace_message>>& shown,
               const std::vector<trace_message>& marks) {
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

/// Fills and faults from the recording, in time order (a fill before the
/// fault on its answer at one instant).
std::vector<trace_message> marks_of(const row_batch& rows) {
  std::vector<trace_message> marks;
  for (const auto& f : rows.fills)
    marks.push_back({"exchange", "",
                     fmt::format("fill {} @ {} ({}) for {}", f.quantity,
                                 f.price, f.exchange_order_id, f.order_id),
                     f.filled_at_ns, false});
  for (const auto& f : rows.faults)
    marks.push_back(fault_mark(f));
  std::stable_sort(marks.begin(), marks.end(),
                   [](const trace_message& a, const trace_message& b) {
                     return a.at < b.at;
                   });
  return marks;
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

std::string mark_text(const participants& people, const trace_message& m) {
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
  std::vector<std::optional<trace_message>> shown;
  shown.reserve(shown_n);
  for (std::size_t i = 0; i < shown_n; ++i)
    shown.push_back(parse_trace_line(trace[i].line));
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
