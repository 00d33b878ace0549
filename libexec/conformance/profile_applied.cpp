#include "libexec/conformance/profile_applied.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <sstream>

namespace execsim {

namespace {

load_result failed(const std::string& file, std::string message) {
  return {std::nullopt, {load_error{file, {}, std::move(message)}}, {}};
}

} // namespace

load_result load_with_profile(const std::string& base_file,
                              const std::string& profile_file) {
  toml::table base, profile;
  try {
    base = toml::parse_file(base_file);
    profile = toml::parse_file(profile_file);
  } catch (const toml::parse_error& e) {
    // The loader below says it with line and column.
    return load_scenario_file(e.source().path ? *e.source().path : base_file);
  }
  auto* venue = profile["exchange"].as_table();
  if (!venue)
    return failed(profile_file, "a venue profile needs an [exchange] table");
  if (!base["exchange"].as_table())
    base.insert("exchange", toml::table{});
  auto& exchange = *base["exchange"].as_table();
  for (auto&& [key, node] : *venue)
    exchange.erase(key.str());
  exchange.erase("profile");
  exchange.insert("profile",
                  std::filesystem::absolute(profile_file).lexically_normal()
                    .string());
  std::ostringstream text;
  text << base << "\n";
  return load_scenario_text(text.str(), base_file);
}

} // namespace execsim
