// A bound on how deeply a scenario file nests, checked on the text before
// the TOML parser sees it: the parser (and the tables it builds) recurse
// once per level, so a dotted key or table header of tens of thousands of
// parts ("a.a.a...") would overflow the stack. A scenario needs a few
// levels; more than nesting_max is an error at the part that goes over.
#pragma once

#include "sim/scenario.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace execsim::scenario_loading {

/// Levels a scenario file may nest: table header parts, dotted key parts,
/// arrays and inline tables, counted together along one path.
constexpr int nesting_max = 32;

struct nesting_error {
  source_pos pos;
  std::string message;
};

/// The first place `text` nests deeper than nesting_max, if any. Only
/// counts: a syntax error is left for the TOML parser to report.
std::optional<nesting_error> find_deep_nesting(std::string_view text);

} // namespace execsim::scenario_loading
