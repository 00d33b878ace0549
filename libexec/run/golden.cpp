#include "libexec/run/golden.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace execsim::cli {

namespace fs = std::filesystem;

namespace {

bool is_digest(const std::string& s) {
  return s.size() == 16
         && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

fs::path golden_folder(const std::string& golden_path) {
  return fs::weakly_canonical(fs::absolute(golden_path)).parent_path();
}

/// One "<digest>  <file>" line into `g`; false with `error` set.
bool parse_line(const std::string& line, int n, golden_file& g,
                std::string& error) {
  auto gap = line.find_first_of(" \t");
  auto key_at = gap == std::string::npos ? gap
                                         : line.find_first_not_of(" \t", gap);
  auto digest = line.substr(0, gap);
  if (!is_digest(digest) || key_at == std::string::npos) {
    error = fmt::format("{}:{}: expected \"<16 lowercase hex digits>  "
                        "<file>\"",
                        g.path, n);
    return false;
  }
  auto key = line.substr(key_at);
  while (!key.empty() && (key.back() == ' ' || key.back() == '\r'))
    key.pop_back();
  if (!g.digests.emplace(key, digest).second) {
    error = fmt::format("{}:{}: {} is listed twice", g.path, n, key);
    return false;
  }
  return true;
}

} // namespace

std::optional<golden_file> read_golden(const std::string& path,
                                       bool may_be_missing,
                                       std::string& error) {
  golden_file g;
  g.path = path;
  std::error_code ec;
  if (!fs::exists(path, ec) && may_be_missing)
    return g;
  std::ifstream f(path);
  if (!f || fs::is_directory(path, ec)) {
    error = fmt::format("{}: cannot read the golden file ({})", path,
                        f ? "a directory" : std::strerror(errno));
    return std::nullopt;
  }
  std::string line;
  int n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (line.empty() || line[0] == '#')
      continue;
    if (!parse_line(line, n, g, error))
      return std::nullopt;
  }
  return g;
}

std::string golden_key(const std::string& golden_path,
                       const std::string& scenario_file) {
  auto file = fs::weakly_canonical(fs::absolute(scenario_file));
  return file.lexically_relative(golden_folder(golden_path)).generic_string();
}

std::vector<std::string> stale_golden_keys(const golden_file& g) {
  std::vector<std::string> out;
  auto folder = golden_folder(g.path);
  for (const auto& [key, digest] : g.digests) {
    std::error_code ec;
    if (!fs::is_regular_file(folder / key, ec))
      out.push_back(key);
  }
  return out;
}

bool write_golden(const golden_file& g, std::string& error) {
  std::ofstream f(g.path, std::ios::trunc);
  if (!f) {
    error = fmt::format("{}: cannot write ({})", g.path, std::strerror(errno));
    return false;
  }
  f << "# execsim trace digests, by scenario file relative to this file: "
       "regenerate with `execsim run --golden FILE --update-golden`\n";
  for (const auto& [key, digest] : g.digests)
    f << digest << "  " << key << "\n";
  f.close();
  if (!f) {
    error = fmt::format("{}: write failed", g.path);
    return false;
  }
  return true;
}

std::vector<std::string> recorded_trace(sqlite3* db,
                                        const std::string& digest) {
  std::vector<std::string> lines;
  sqlite3_stmt* st = nullptr;
  const char* sql = "SELECT line FROM trace WHERE run_id = ("
                    "  SELECT max(run_id) FROM runs WHERE digest = ?1)"
                    " ORDER BY seq";
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
    return lines;
  sqlite3_bind_text(st, 1, digest.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW)
    lines.emplace_back(
      reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  return lines;
}

} // namespace execsim::cli
