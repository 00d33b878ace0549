// `execsim report --format mermaid`: a run's trace as a Mermaid
// sequenceDiagram (renders on GitHub), one arrow per trace line.
#pragma once

#include "sim/records.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace execsim::cli {

/// Arrows drawn at most; a bigger diagram does not render usefully.
constexpr std::size_t mermaid_arrows_max = 500;

/// The diagram, ending in a newline. Lines past `arrows_max` are counted in
/// a final note instead of drawn.
std::string report_mermaid(const std::vector<trace_row>& trace,
                           std::size_t arrows_max = mermaid_arrows_max);

/// `text` with the characters Mermaid would read as syntax (`;`, `#`, `{`,
/// `}`, `<`, `>`, `&`) written as its entity codes (`#59;`, ...).
std::string mermaid_escape(const std::string& text);

} // namespace execsim::cli
