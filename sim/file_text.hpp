// A whole file read into a string: the one way execsim reads a file it
// takes as a whole (a README to rewrite, a venue profile, a child's output).
#pragma once

#include <optional>
#include <string>

namespace execsim {

/// The bytes of `path`, unchanged (no newline translation); nullopt when
/// it cannot be opened, and then `error` is "cannot read PATH: REASON"
/// (REASON from errno). Callers with a message of their own ignore it.
std::optional<std::string> file_text(const std::string& path,
                                     std::string& error);

} // namespace execsim
