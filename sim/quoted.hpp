// A value of an input file shown in an error message: in double quotes,
// escaped, and cut after 60 characters ("...") so that a 10 MB field gives
// a one-line message, not a 10 MB one.
#pragma once

#include <string>
#include <string_view>

namespace execsim {

/// `text` in double quotes, with quotes, backslashes and control
/// characters escaped (\n, \u0000), cut after 60 characters (never inside
/// a UTF-8 sequence) with "..." after the cut.
std::string quoted(std::string_view text);

} // namespace execsim
