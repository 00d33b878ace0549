// TOML values as text, for the scenario writer (sim/scenario_writer.hpp),
// which lays the file out itself so that its keys come in the reference's
// order (toml++ would sort them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace execsim {

/// A basic string: "...", with backslashes, quotes and control characters
/// escaped. Text with a line break becomes a multi-line basic string
/// ("""\n...""") that keeps its lines as they are.
std::string toml_string(std::string_view text);

/// A float that reads back as the same double: the shortest decimal form,
/// always with a '.' or an exponent (2.0, not 2).
std::string toml_float(double x);

/// [ "a", "b" ] on one line; [] when empty.
std::string toml_strings(const std::vector<std::string>& xs);

/// An inline table from key = value pairs (values already TOML text):
/// { a = 1, b = "x" }.
std::string toml_inline(const std::vector<std::pair<std::string, std::string>>& kv);

/// A bare key when it may be one (A-Z a-z 0-9 _ -), else a quoted key.
std::string toml_key(std::string_view key);

} // namespace execsim
