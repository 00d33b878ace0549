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
/// Fills and faults come from `rows`: a lost message is an arrow ending in
/// a cross (`-x`) with the fault kind, any other fault or a fill a note;
/// requests are drawn at their send time, submit timeouts by attempt.
std::string report_mermaid(const std::vector<trace_row>& trace,
                           const row_batch& rows,
                           std::size_t arrows_max = mermaid_arrows_max);

/// `text` with the characters Mermaid would read as syntax (`;`, `#`, `{`,
/// `}`, `<`, `>`, `&`) written as its entity codes (`#59;`, ...).
std::string mermaid_escape(const std::string& text);

} // namespace execsim::cli
