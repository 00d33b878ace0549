#include "libexec/conformance/conformance.hpp"

#include "libexec/conformance/profile_applied.hpp"
#include "libexec/explore/explorer.hpp"
#include "libexec/explore/shrinker.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario_loader_profile.hpp"
#include "libexec/explore/minimal_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

namespace execsim {

namespace fs = std::filesystem;

namespace {

/// "explore/defaults" for scenarios/explore/defaults.toml: short, and
/// still tells two executors with one file name apart.
std::string executor_label(const std::string& file) {
  fs::path p(file);
  auto dir = p.parent_path().filename().string();
  return dir.empty() ? p.stem().string() : dir + "/" + p.stem().string();
}

/// The profiles to run: name -> file, in the order given (or by name).
std::vector<std::pair<std::string, std::string>>
profiles_of(const conformance_settings& s, std::vector<std::string>& errors) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string near = s.executors.front();
  if (s.profiles.empty()) {
    for (const auto& [name, file] : known_profiles(near))
      out.emplace_back(name, file);
    if (out.empty())
      errors.push_back("no venue profiles found (venues/ beside the "
                       "executor files, or the shipped ones)");
    return out;
  }
  for (const auto& name : s.profiles) {
    if (auto file = find_profile(name, near)) {
      out.emplace_back(fs::path(name).stem().string(), *file);
      continue;
    }
    std::string known;
    for (const auto& [n, f] : known_profiles(near))
      known += (known.empty() ? "" : ", ") + n;
    errors.push_back(fmt::format("unknown venue profile \"{}\" (known: {})",
                                 name, known.empty() ? "none" : known));
  }
  return out;
}

/// Shrinks the failure to a minimal scenario in out_dir; "" when the fired
/// faults do not reproduce it or the file cannot be written.
std::string write_minimal(const conformance_settings& s, const scenario& sc,
                          const seed_failure& f, const std::string& invariant,
                          const conformance_row& row, runtime& rt) {
  auto r = shrink(sc, f.seed, f.fired, invariant, rt);
  if (!r.reproduced)
    return {};
  auto name = fmt::format("{}-{}-{}-min.toml",
                          fs::path(sc.file).stem().string(), row.profile,
                          invariant);
  std::error_code ec;
  fs::create_directories(s.out_dir, ec);
  std::ofstream out(fs::path(s.out_dir) / name, std::ios::binary);
  out << minimal_file_text(r, s.out_dir);
  return out ? name : std::string{};
}

conformance_row run_row(const conformance_settings& s, const scenario& sc,
                        const std::vector<std::string>& invariants,
                        conformance_row row) {
  explore_settings es;
  es.seeds = s.seeds;
  auto report = explore(sc, es);
  row.cells.assign(invariants.size(), conformance_cell{});
  runtime rt;
  for (std::size_t i = 0; i < invariants.size(); ++i) {
    auto& cell = row.cells[i];
    // Failures are by seed: the first that broke it is the lowest.
    auto it = std::find_if(report.failures.begin(), report.failures.end(),
                           [&](const seed_failure& f) {
                             return f.violation_counts.count(invariants[i]);
                           });
    if (it == report.failures.end())
      continue;
    cell.holds = false;
    cell.seed = it->seed;
    if (!s.out_dir.empty())
      cell.minimal = write_minimal(s, sc, *it, invariants[i], row, rt);
  }
  return row;
}

} // namespace

conformance_table run_conformance(const conformance_settings& s,
                                  std::vector<std::string>& errors) {
  conformance_table table;
  table.invariants = invariant_names();
  table.seeds = s.seeds;
  if (s.executors.empty()) {
    errors.push_back("no executor files given");
    return table;
  }
  auto profiles = profiles_of(s, errors);
  // Every file is loaded before any seed runs: bad input is found at once.
  std::vector<std::pair<conformance_row, scenario>> runs;
  for (const auto& [name, file] : profiles)
    for (const auto& base : s.executors) {
      auto loaded = load_with_profile(base, file);
      for (const auto& e : loaded.errors)
        errors.push_back(e.to_string());
      if (loaded.value)
        runs.push_back({conformance_row{name, executor_label(base), {}},
                        std::move(*loaded.value)});
    }
  if (!errors.empty())
    return table;
  for (auto& [row, sc] : runs)
    table.rows.push_back(run_row(s, sc, table.invariants, std::move(row)));
  return table;
}

} // namespace execsim
