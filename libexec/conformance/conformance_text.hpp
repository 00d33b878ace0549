// The conformance table as people and programs read it: a Markdown table
// (the README's), aligned plain text, or JSON.
#pragma once

#include "libexec/conformance/conformance.hpp"

#include <optional>
#include <string>

namespace execsim {

/// A cell: "holds", "broken (seed 12)" or
/// "broken (seed 12, minimal: NAME)".
std::string cell_text(const conformance_cell& c);

std::string conformance_markdown(const conformance_table& t);
std::string conformance_plain(const conformance_table& t);
std::string conformance_json(const conformance_table& t);

/// The README's markers around the generated table.
constexpr const char* conformance_begin = "<!-- conformance:begin -->";
constexpr const char* conformance_end = "<!-- conformance:end -->";

/// What is between the markers (without the newline after the first),
/// nullopt when they are missing.
std::optional<std::string> between_markers(const std::string& text);

} // namespace execsim
