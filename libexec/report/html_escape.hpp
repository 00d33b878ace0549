// Text from a recording, made inert in an HTML page. Order ids, names,
// error texts and event payloads are outside input: a "<script>" in a
// scenario name must show as text, never run.
#pragma once

#include <string>
#include <string_view>

namespace execsim::cli {

/// `text` for an HTML text node or a quoted attribute value: `&`, `<`,
/// `>`, `"` and `'` as entities; control characters and bytes that are not
/// UTF-8 made visible first, as terminal_text() does ("\u001b", "\xff").
std::string html_escape(std::string_view text);

} // namespace execsim::cli
