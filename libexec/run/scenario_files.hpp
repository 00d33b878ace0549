// Which scenario files a command runs: files as given, directories searched
// recursively for *.toml, in sorted order.
#pragma once

#include <string>
#include <vector>

namespace execsim::cli {

/// Expands `paths` (none = "scenarios"). A path that does not exist is
/// reported in `missing`.
std::vector<std::string> scenario_files(const std::vector<std::string>& paths,
                                        std::vector<std::string>& missing);

} // namespace execsim::cli
