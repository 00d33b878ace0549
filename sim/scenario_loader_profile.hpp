// Venue profiles: a named bundle of [exchange] settings in a file of its
// own (scenarios/venues/NAME.toml) that a scenario takes with
// `[exchange] profile = "NAME"`, its own [exchange] keys overriding the
// profile's. One rule finds a profile for the loader and for
// `execsim conformance`.
#pragma once

#include "sim/scenario_loader_fields.hpp"

#include <map>
#include <optional>
#include <string>

namespace execsim {

/// Every profile a scenario in `scenario_file` can name without a path:
/// NAME -> file, from each `venues/` directory beside the scenario or
/// above it (nearest first), then the shipped one.
std::map<std::string, std::string>
known_profiles(const std::string& scenario_file);

/// The file `profile = name` means: a name ending in ".toml" or holding a
/// '/' is a path relative to the scenario's directory; any other is looked
/// up in known_profiles. nullopt when there is none.
std::optional<std::string> find_profile(const std::string& name,
                                        const std::string& scenario_file);

namespace scenario_loading {

/// [exchange] with its `profile` applied: the profile's keys that the
/// scenario does not set are added, `profile` is removed. nullopt when the
/// table names no profile. A missing or bad profile is reported (its own
/// errors at the profile file's line:column, and one at `profile`), and
/// the scenario's own keys are returned so they are still checked.
/// `read` validates an [exchange] table (the loader's own reader), so a
/// profile is checked exactly as a scenario's [exchange] is.
using exchange_reader = void (*)(const table_reader&, exchange_config&);
std::optional<toml::table> apply_profile(const table_reader& exchange,
                                         const std::string& scenario_file,
                                         exchange_reader read);

} // namespace scenario_loading

} // namespace execsim
