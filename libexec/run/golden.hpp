// CI regression digests: a small committed text file of
//   <digest>  <scenario file>
// lines. `run --golden FILE` fails a scenario whose digest changed and names
// the first trace line that changed; `--update-golden` rewrites the file.
#pragma once

#include <map>
#include <string>
#include <vector>

struct sqlite3;

namespace execsim::cli {

/// file -> digest. Missing file = empty map; a malformed line sets `error`.
std::map<std::string, std::string> read_golden(const std::string& path,
                                               std::string& error);

bool write_golden(const std::string& path,
                  const std::map<std::string, std::string>& digests,
                  std::string& error);

/// The trace of the newest recorded run of `file` with `digest` (empty if
/// the database has none).
std::vector<std::string> recorded_trace(sqlite3* db, const std::string& file,
                                        const std::string& digest);

} // namespace execsim::cli
