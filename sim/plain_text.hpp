// Text of an input file that must be plain: ids, names, symbols and codes
// hold no control characters (a NUL would cut them where they meet a C API,
// a line break would split a report line).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace execsim {

/// "control character U+0000 at character 2 of "a\u0000b" (rule)": the
/// first control character (U+0000 to U+001F, U+007F) of `text` that is not
/// in `allowed`, counted in characters from 1; nullopt if there is none.
std::optional<std::string> control_char_message(std::string_view text,
                                                std::string_view allowed,
                                                std::string_view rule);

} // namespace execsim
