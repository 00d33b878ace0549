#include "libexec/run/golden_check.hpp"

#include "sim/trace.hpp"

#include <fmt/format.h>

#include <iostream>

namespace execsim::cli {

std::optional<golden_check> golden_check::open(const std::string& path,
                                               bool update,
                                               std::string& error) {
  auto g = read_golden(path, update, error);
  if (!g)
    return std::nullopt;
  golden_check c;
  c.old_ = *g;
  c.next_ = *g;
  c.update_ = update;
  return c;
}

void golden_check::judge(const std::string& file, run_outcome& out,
                         sqlite3* db, const std::string& db_path) {
  auto key = golden_key(old_.path, file);
  auto g = old_.digests.find(key);
  if (update_) {
    // A failing run's digest is not what anyone wants to pin.
    if (out.pass)
      next_.digests[key] = out.digest;
    else
      std::cout << fmt::format("golden: {} not updated: the run did not "
                               "pass\n",
                               key);
    return;
  }
  if (g == old_.digests.end()) {
    out.pass = false;
    out.check_failures.push_back(
      fmt::format("no golden digest for {} in {} (add it with "
                  "--update-golden)",
                  key, old_.path));
    return;
  }
  if (g->second == out.digest)
    return;
  out.pass = false;
  auto before = recorded_trace(db, g->second);
  std::string where;
  if (before.empty()) {
    where = fmt::format("the trace of the golden run is not in {}; record "
                        "it from the old version to see the first changed "
                        "line",
                        db_path);
  } else {
    auto d = first_difference(before, out.trace);
    where = fmt::format("first changed trace line {}:\n      golden: {}\n"
                        "      now:    {}",
                        d.line, d.expected, d.actual);
  }
  out.check_failures.push_back(fmt::format(
    "digest {} differs from golden {}; {}", out.digest, g->second, where));
}

bool golden_check::finish(std::size_t& failed,
                          std::vector<junit_case>& cases) {
  for (const auto& key : stale_golden_keys(old_)) {
    if (update_) {
      next_.digests.erase(key);
      std::cout << fmt::format("golden: {} removed: the file no longer "
                               "exists\n",
                               key);
      continue;
    }
    auto message = fmt::format("golden entry {} in {}: the file no longer "
                               "exists (remove it with --update-golden)",
                               key, old_.path);
    std::cout << "FAIL " << message << "\n";
    ++failed;
    cases.push_back({key, "golden", 0, true, false, message, message + "\n"});
  }
  if (!update_)
    return true;
  std::string error;
  if (!write_golden(next_, error)) {
    std::cerr << "execsim run: " << error << "\n";
    return false;
  }
  std::cout << fmt::format("golden digests written to {}\n", next_.path);
  return true;
}

} // namespace execsim::cli
