#include "libexec/report/report_mermaid.hpp"

#include "sim/virtual_time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

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

/// One trace line: "<at_ns> <from> -> <to>: <text>".
struct message {
  std::string from;
  std::string to;
  std::string text;
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
                 line.substr(colon + 2)};
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
  explicit participants(const std::vector<std::optional<message>>& shown) {
    for (const auto& name : fixed_before)
      add(name);
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

std::string report_mermaid(const std::vector<trace_row>& trace,
                           std::size_t arrows_max) {
  auto shown_n = std::min(trace.size(), arrows_max);
  std::vector<std::optional<message>> shown;
  shown.reserve(shown_n);
  for (std::size_t i = 0; i < shown_n; ++i)
    shown.push_back(parse(trace[i].line));
  participants people{shown};

  std::string out = "sequenceDiagram\n" + people.declarations();
  for (std::size_t i = 0; i < shown_n; ++i) {
    auto at = format_duration(trace[i].at_ns);
    if (const auto& m = shown[i])
      out += fmt::format("  {}->>{}: {} {}\n", people.id(m->from),
                         people.id(m->to), at,
                         mermaid_escape(shortened(m->text)));
    else // not a message line: shown as it is rather than lost
      out += fmt::format("  Note over driver: {} {}\n", at,
                         mermaid_escape(shortened(trace[i].line)));
  }
  if (trace.size() > shown_n)
    out += fmt::format("  Note over driver: {} more messages not shown\n",
                       trace.size() - shown_n);
  return out;
}

} // namespace execsim::cli
