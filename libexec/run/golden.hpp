// CI regression digests: a small committed text file of
//   <digest>  <scenario file, relative to the golden file's folder>
// lines. `run --golden FILE` fails a scenario whose digest changed and names
// the first trace line that changed; `--update-golden` rewrites the file.
// Keys are relative to the golden file, so the same file works from any
// directory and with an absolute --golden path.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace execsim::cli {

struct golden_file {
  std::string path;
  /// key (file relative to the golden file's folder) -> digest.
  std::map<std::string, std::string> digests;
};

/// Reads and validates the whole file. A missing file is an error unless
/// `may_be_missing` (then it is empty). nullopt with `error` set on a
/// malformed line ("FILE:LINE: ...") or an unreadable file.
std::optional<golden_file> read_golden(const std::string& path,
                                       bool may_be_missing,
                                       std::string& error);

/// The key of `scenario_file` (as given on the command line, relative to
/// the working directory or absolute) in the golden file at `golden_path`.
std::string golden_key(const std::string& golden_path,
                       const std::string& scenario_file);

/// Keys whose scenario file no longer exists.
std::vector<std::string> stale_golden_keys(const golden_file& g);

bool write_golden(const golden_file& g, std::string& error);

/// The trace of the newest recorded run with `digest` (empty if the
/// database has none).
std::vector<std::string> recorded_trace(sqlite3* db,
                                        const std::string& digest);

} // namespace execsim::cli
