#include "sim/scenario_loader_profile.hpp"

#include "sim/file_text.hpp"
#include "sim/scenario_loader_nesting.hpp"

#include <fmt/format.h>

#include <filesystem>

#ifndef EXECSIM_VENUES_SOURCE_DIR
#define EXECSIM_VENUES_SOURCE_DIR ""
#endif
#ifndef EXECSIM_VENUES_INSTALL_DIR
#define EXECSIM_VENUES_INSTALL_DIR ""
#endif

namespace execsim {

namespace fs = std::filesystem;

namespace {

/// The directories profiles are looked up in, nearest first: `venues/` in
/// the scenario's directory and each one above it, then the shipped ones
/// (source tree for a build-tree execsim, share/execsim/venues installed).
std::vector<fs::path> profile_dirs(const std::string& scenario_file) {
  std::error_code ec;
  auto dir = fs::absolute(fs::path(scenario_file).parent_path(), ec);
  std::vector<fs::path> out;
  for (auto d = dir.lexically_normal(); !ec && !d.empty();
       d = d.parent_path()) {
    out.push_back(d / "venues");
    if (d == d.parent_path())
      break;
  }
  for (const char* shipped :
       {EXECSIM_VENUES_SOURCE_DIR, EXECSIM_VENUES_INSTALL_DIR})
    if (*shipped != '\0')
      out.emplace_back(shipped);
  return out;
}

} // namespace

std::map<std::string, std::string>
known_profiles(const std::string& scenario_file) {
  std::map<std::string, std::string> out;
  for (const auto& dir : profile_dirs(scenario_file)) {
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir, ec);
         !ec && it != fs::directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec) && it->path().extension() == ".toml")
        // emplace: the nearest directory's profile of a name wins.
        out.emplace(it->path().stem().string(),
                    it->path().lexically_normal().string());
  }
  return out;
}

std::optional<std::string> find_profile(const std::string& name,
                                        const std::string& scenario_file) {
  bool is_path = name.find('/') != std::string::npos
                 || fs::path(name).extension() == ".toml";
  if (!is_path) {
    auto known = known_profiles(scenario_file);
    auto it = known.find(name);
    if (it == known.end())
      return std::nullopt;
    return it->second;
  }
  auto path = fs::path(scenario_file).parent_path() / name;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return std::nullopt;
  return path.lexically_normal().string();
}

namespace scenario_loading {

namespace {

std::string unknown_profile_message(const std::string& name,
                                    const std::string& scenario_file) {
  std::string known;
  for (const auto& [n, path] : known_profiles(scenario_file))
    known += (known.empty() ? "" : ", ") + n;
  return fmt::format("unknown venue profile {} (known: {})",
                     execsim::quoted(name), known.empty() ? "none" : known);
}

/// Parses and checks the profile file: only an [exchange] table, read by
/// `read`. Errors go to `errors` under the profile's file name.
std::optional<toml::table> load_profile(const std::string& path,
                                        exchange_reader read,
                                        error_list& errors) {
  std::string unread;
  auto text = file_text(path, unread);
  if (!text) {
    errors.add({}, "cannot read venue profile");
    return std::nullopt;
  }
  if (auto deep = find_deep_nesting(*text)) {
    errors.add(deep->pos, std::move(deep->message));
    return std::nullopt;
  }
  toml::table root;
  try {
    root = toml::parse(*text, path);
  } catch (const toml::parse_error& e) {
    errors.add(position_of(e.source()),
               fmt::format("invalid TOML: {}", e.description()));
    return std::nullopt;
  }
  table_reader top{root, "", "in a venue profile", errors};
  top.reject_unknown_keys({"exchange"});
  auto exchange = top.sub_table("exchange", "in [exchange]");
  if (!exchange)
    return std::nullopt;
  if (auto nested = exchange->get("profile"))
    nested->fail("a venue profile cannot name another profile");
  exchange_config ignored;
  read(*exchange, ignored);
  return exchange->table();
}

} // namespace

std::optional<toml::table> apply_profile(const table_reader& exchange,
                                         const std::string& scenario_file,
                                         exchange_reader read) {
  auto v = exchange.get("profile");
  if (!v)
    return std::nullopt;
  toml::table merged = exchange.table();
  merged.erase("profile");
  auto name = v->non_empty_string();
  if (!name)
    return merged;
  auto path = find_profile(*name, scenario_file);
  if (!path) {
    v->fail(unknown_profile_message(*name, scenario_file));
    return merged;
  }
  error_list profile_errors{*path};
  auto profile = load_profile(*path, read, profile_errors);
  if (!profile_errors.empty()) {
    for (auto& e : profile_errors.take_sorted())
      exchange.errors().add_other(std::move(e));
    v->fail(fmt::format("venue profile {} has errors (listed below)",
                        execsim::quoted(*path)));
    return merged;
  }
  // The scenario's own keys win: only what it leaves out comes from the
  // profile. on_duplicate_key and reject_after_accept are one setting (the
  // duplicate policy): a scenario giving either takes neither from the
  // profile, so overriding the policy never contradicts the profile's.
  auto policy_key = [](std::string_view k) {
    return k == "on_duplicate_key" || k == "reject_after_accept";
  };
  bool own_policy = merged.contains("on_duplicate_key")
                    || merged.contains("reject_after_accept");
  for (auto&& [key, node] : *profile)
    if (!merged.contains(key.str()) && !(own_policy && policy_key(key.str())))
      merged.insert(key, node);
  return merged;
}

} // namespace scenario_loading

} // namespace execsim
