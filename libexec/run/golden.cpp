#include "libexec/run/golden.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace execsim::cli {

std::map<std::string, std::string> read_golden(const std::string& path,
                                               std::string& error) {
  std::map<std::string, std::string> out;
  std::ifstream f(path);
  if (!f)
    return out;
  std::string line;
  int n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream in(line);
    std::string digest;
    std::string file;
    if (!(in >> digest >> file) || digest.size() != 16) {
      error = fmt::format("{}:{}: expected \"<16 hex digits>  <file>\"", path,
                          n);
      return {};
    }
    out[file] = digest;
  }
  return out;
}

bool write_golden(const std::string& path,
                  const std::map<std::string, std::string>& digests,
                  std::string& error) {
  std::ofstream f(path, std::ios::trunc);
  if (!f) {
    error = fmt::format("{}: cannot write ({})", path, std::strerror(errno));
    return false;
  }
  f << "# execsim trace digests: regenerate with "
       "`execsim run --golden FILE --update-golden`\n";
  for (const auto& [file, digest] : digests)
    f << digest << "  " << file << "\n";
  return static_cast<bool>(f);
}

std::vector<std::string> recorded_trace(sqlite3* db, const std::string& file,
                                        const std::string& digest) {
  std::vector<std::string> lines;
  sqlite3_stmt* st = nullptr;
  const char* sql = "SELECT line FROM trace WHERE run_id = ("
                    "  SELECT max(run_id) FROM runs"
                    "  WHERE file = ?1 AND digest = ?2) ORDER BY seq";
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
    return lines;
  sqlite3_bind_text(st, 1, file.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, digest.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW)
    lines.emplace_back(
      reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  return lines;
}

} // namespace execsim::cli
