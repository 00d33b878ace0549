// Text from a recording, made safe to print to a terminal. A recording made
// by an older execsim (or written by anyone with sqlite3) may hold names with
// control characters: an ESC starts an ANSI sequence that can recolour,
// move the cursor or retitle the window, and a NUL or a carriage return
// hides what precedes it. Printed, they become visible escapes instead.
#pragma once

#include <string>
#include <string_view>

namespace execsim {

/// `text` with every control character but line feed and tab (U+0000 to
/// U+001F, U+007F and the C1 controls U+0080 to U+009F) written as
/// "\u001b", and every byte that is not UTF-8 as "\xff". Everything else,
/// including non-ASCII letters, is unchanged.
std::string terminal_text(std::string_view text);

} // namespace execsim
