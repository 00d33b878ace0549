// Turns a TOML scenario file into a validated scenario, or into every error
// it has, each with file:line:column and what was expected.
#pragma once

#include "sim/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace execsim {

struct load_error {
  std::string file;
  source_pos pos;
  std::string message;

  /// "file:line:column: message" (":line:column" omitted when unknown).
  std::string to_string() const;
  /// "file:line:column: warning: message", for a warning.
  std::string to_warning_string() const;
};

struct load_result {
  std::optional<scenario> value; // set only when errors is empty
  std::vector<load_error> errors;
  /// What loads but is likely a mistake (scenario_loader_warnings.hpp);
  /// only for a file without errors. The file still runs.
  std::vector<load_error> warnings;
};

/// Reads and validates `path`. An unreadable file is one error at 0:0.
load_result load_scenario_file(const std::string& path);

/// Validates `text` as if read from `file_name` (used by replay, which loads
/// the recorded scenario_text, and by tests).
load_result load_scenario_text(const std::string& text,
                               const std::string& file_name);

} // namespace execsim
