#include "libexec/run/outcome_text.hpp"

#include <fmt/format.h>

#include <set>

namespace execsim::cli {

std::string wall_text(double wall_ms) {
  if (wall_ms >= 1000)
    return fmt::format("{:.2f}s", wall_ms / 1000);
  return fmt::format("{:.1f}ms", wall_ms);
}

std::string outcome_line(const scenario& sc, const run_outcome& out) {
  auto run = out.run_id > 0 ? fmt::format("run {}, ", out.run_id)
                            : std::string{};
  // A run the recording could not take is an error (exit 2), not a
  // failing scenario.
  if (out.recording_failed && out.digest.empty())
    return fmt::format("ERROR {}  (not run: the recording could not begin "
                       "it)",
                       sc.name);
  auto verdict = out.pass                                      ? "PASS"
                 : out.recording_failed || out.executor_broken ? "ERROR"
                                                               : "FAIL";
  return fmt::format("{} {}  ({}{} order{}, virtual {}, wall {}, digest {})",
                     verdict, sc.name, run, out.orders,
                     out.orders == 1 ? "" : "s",
                     format_seconds(out.virtual_end), wall_text(out.wall_ms),
                     out.digest.substr(0, 12));
}

std::string outcome_details(const run_outcome& out) {
  std::string text;
  if (!out.error.empty())
    text += fmt::format("    error: {}\n", out.error);
  std::set<std::string> timeline_shown;
  for (const auto& f : out.failures) {
    text += fmt::format("    {}: {}\n", f.order, f.message);
    if (!f.timeline.empty() && timeline_shown.insert(f.order).second)
      text += fmt::format("    {} timeline:\n{}", f.order, f.timeline);
  }
  for (const auto& c : out.check_failures)
    text += fmt::format("    {}\n", c);
  if (!out.check_failures.empty())
    for (const auto& v : out.violations)
      text += fmt::format("    violation {}{}: {}\n", v.invariant,
                          v.order_id ? " (" + *v.order_id + ")" : "",
                          v.detail);
  return text;
}

} // namespace execsim::cli
