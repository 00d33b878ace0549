#include "libexec/conformance/conformance_text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace execsim {

namespace {

std::vector<std::string> header(const conformance_table& t) {
  std::vector<std::string> h = {"profile", "executor"};
  h.insert(h.end(), t.invariants.begin(), t.invariants.end());
  return h;
}

std::vector<std::string> cells(const conformance_row& r) {
  std::vector<std::string> out = {r.profile, r.executor};
  for (const auto& c : r.cells)
    out.push_back(cell_text(c));
  return out;
}

std::string markdown_line(const std::vector<std::string>& v) {
  std::string line = "|";
  for (const auto& s : v)
    line += " " + s + " |";
  return line + "\n";
}

} // namespace

std::string cell_text(const conformance_cell& c) {
  if (c.holds)
    return "holds";
  if (c.minimal.empty())
    return fmt::format("broken (seed {})", c.seed);
  return fmt::format("broken (seed {}, minimal: {})", c.seed, c.minimal);
}

std::string conformance_markdown(const conformance_table& t) {
  auto h = header(t);
  std::string out = markdown_line(h);
  out += markdown_line(std::vector<std::string>(h.size(), "---"));
  for (const auto& r : t.rows)
    out += markdown_line(cells(r));
  return out;
}

std::string conformance_plain(const conformance_table& t) {
  std::vector<std::vector<std::string>> lines = {header(t)};
  for (const auto& r : t.rows)
    lines.push_back(cells(r));
  std::vector<std::size_t> width(lines.front().size(), 0);
  for (const auto& l : lines)
    for (std::size_t i = 0; i < l.size(); ++i)
      width[i] = std::max(width[i], l[i].size());
  std::string out;
  for (const auto& l : lines) {
    std::string line;
    for (std::size_t i = 0; i < l.size(); ++i)
      line += fmt::format("{:<{}}  ", l[i], width[i]);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string conformance_json(const conformance_table& t) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : t.rows) {
    nlohmann::json inv = nlohmann::json::object();
    for (std::size_t i = 0; i < t.invariants.size(); ++i) {
      const auto& c = r.cells[i];
      nlohmann::json cell = {{"holds", c.holds}};
      if (!c.holds) {
        cell["seed"] = c.seed;
        cell["minimal"] = c.minimal.empty() ? nlohmann::json(nullptr)
                                            : nlohmann::json(c.minimal);
      }
      inv[t.invariants[i]] = cell;
    }
    rows.push_back(
      {{"profile", r.profile}, {"executor", r.executor}, {"invariants", inv}});
  }
  nlohmann::json j = {
    {"seeds", t.seeds}, {"invariants", t.invariants}, {"rows", rows}};
  return j.dump(2) + "\n";
}

std::optional<std::string> between_markers(const std::string& text) {
  auto b = text.find(conformance_begin);
  if (b == std::string::npos)
    return std::nullopt;
  auto start = text.find('\n', b);
  auto e = text.find(conformance_end, b);
  if (start == std::string::npos || e == std::string::npos || e < start)
    return std::nullopt;
  return text.substr(start + 1, e - start - 1);
}

} // namespace execsim
