// Paths in a scenario that name files beside the scenario file: a process
// executor's command arguments and an asyncio factory's module. One rule
// for the run (which resolves them) and the writer (which rewrites them so
// a file written elsewhere, a shrunk minimal scenario, still finds them).
#pragma once

#include <string>
#include <vector>

namespace execsim {

/// Whether argument `i` of an executor command names a file beside the
/// scenario: relative, and an existing file or directory in the scenario
/// file's directory. The program itself (i == 0) only when it has a '/'
/// (without one, the system searches PATH for it, as a shell would).
bool names_file_beside(const std::vector<std::string>& argv, std::size_t i,
                       const std::string& scenario_file);

/// The command with every argument that names a file beside the scenario
/// resolved against the scenario's directory (as the run starts it).
std::vector<std::string>
resolve_command(const std::vector<std::string>& argv,
                const std::string& scenario_file);

/// The command as a scenario file written in directory `written_in` must
/// say it: each argument that names a file beside the original scenario
/// becomes a path relative to `written_in` (absolute when `written_in` is
/// empty); the others are unchanged.
std::vector<std::string>
portable_command(const std::vector<std::string>& argv,
                 const std::string& scenario_file,
                 const std::string& written_in);

/// An asyncio factory "module:callable" whose module sits beside the
/// scenario, rewritten the same way ("dir/module:callable", the dir
/// relative to `written_in`, or absolute when it is empty).
std::string portable_factory(const std::string& factory,
                             const std::string& scenario_file,
                             const std::string& written_in);

/// The scenario file as a recording keeps it (runs.file): absolute and
/// normal, so that replay, from any directory, resolves the paths beside
/// it as the run did. "" stays "" (a scenario built in code).
std::string recorded_file_path(const std::string& scenario_file);

} // namespace execsim
