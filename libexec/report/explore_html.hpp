// `execsim explore ... --html FILE`: the exploration as one self-contained
// page. The seeds run, the failing groups by signature with their counts,
// replay commands and minimal files, and the timeline of each group's
// minimal run (the minimal file run again, in memory, and drawn as
// `report --format html` draws a run), then the probe coverage section.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace execsim::cli {

struct explore_html_group {
  std::string signature; // `invariant [kind+kind]`
  std::uint64_t count = 0;
  std::uint64_t first_seed = 0;
  std::string order;          // the first violation's order; "" = none
  std::string replay;         // how to see the first seed again
  std::string minimal_path;   // "" = no minimal file for this group
  std::string minimal_note;   // e.g. "verified", or why there is none
};

struct explore_html_summary {
  std::string file;
  std::uint64_t from = 0;
  std::uint64_t seeds = 0;
  std::uint64_t seeds_run = 0;
  std::uint64_t failing = 0;
  std::string digest;
  std::vector<explore_html_group> groups;
  /// Probe coverage, one plain-text line per probe (hook for the probes
  /// being built elsewhere): none = the "probes" section shows nothing.
  std::vector<std::string> probe_lines;
};

/// The page. Each minimal file is loaded and run again (it may not load
/// any more: the group then says so).
std::string explore_html(const explore_html_summary& summary);

} // namespace execsim::cli
