#include "libexec/explore/minimal_file.hpp"

#include "sim/scenario_writer.hpp"

#include <fmt/format.h>

namespace execsim {

namespace {

/// A comment ends at a line break: control characters (a path may hold
/// any) become '?'.
std::string one_line(std::string text) {
  for (auto& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      c = '?';
  return text;
}

/// "# label:  first" then "#         next" for each further line.
std::string field(const std::string& label,
                  const std::vector<std::string>& lines) {
  constexpr std::size_t width = 11; // "invariant: "
  auto head = fmt::format("# {:<{}}", label + ":", width);
  if (lines.empty())
    return head + "none\n";
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += (i == 0 ? head : fmt::format("# {:<{}}", "", width))
           + one_line(lines[i]) + "\n";
  return out;
}

std::string plural(std::size_t n, const char* word) {
  return fmt::format("{}{}", word, n == 1 ? "" : "s");
}

} // namespace

std::string minimal_comment(const shrink_result& r) {
  const auto& m = r.minimal;
  auto removed = fmt::format(
    "{} of {} {}, {} of {} {} that fired", r.orders_before - m.orders.size(),
    r.orders_before, plural(r.orders_before, "order"),
    r.faults_before - m.faults.size(), r.faults_before,
    plural(r.faults_before, "fault"));
  return fmt::format("# Minimal scenario shrunk by execsim ({} runs).\n",
                     r.runs)
         + field("seed", {fmt::format("{} of {}", r.seed, r.source)})
         + field("invariant", {r.invariant}) + field("removed", {removed})
         + field("dropped", r.dropped) + field("shrunk", r.times);
}

std::string minimal_file_text(const shrink_result& r,
                              const std::string& written_in) {
  return minimal_comment(r) + to_toml(r.minimal, written_in);
}

} // namespace execsim
