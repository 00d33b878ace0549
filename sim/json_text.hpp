// Minimal JSON text building for event payloads: fast, and the same bytes
// on every build (the payload reaches the trace digest).
#pragma once

#include <string>
#include <string_view>

namespace execsim {

/// Appends `s` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

} // namespace execsim
