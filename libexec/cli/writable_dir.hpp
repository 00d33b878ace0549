// Whether a directory can take the files a command will write there,
// checked before the command does its work (not after an hour of it).
#pragma once

#include <string>

namespace execsim::cli {

/// "" when `dir` exists and a file can be created in it, or when it does
/// not exist and its nearest existing parent is such a directory (it is
/// then created when needed). Otherwise why not, e.g. "x is not a
/// directory" or "cannot create files in x: Read-only file system".
std::string writable_dir_problem(const std::string& dir);

} // namespace execsim::cli
