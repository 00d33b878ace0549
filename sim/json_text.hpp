// Minimal JSON text building for event payloads: fast, and the same bytes
// on every build (the payload reaches the trace digest). The one JSON
// string escaping of the code base: `"`, `\`, \n, \r, \t by name, other
// control characters as \u00xx (lowercase hex).
#pragma once

#include <string>
#include <string_view>

namespace execsim {

/// Appends `s` escaped for inside a JSON string literal (no quotes).
void append_json_escaped(std::string& out, std::string_view s);

/// Appends `s` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

} // namespace execsim
