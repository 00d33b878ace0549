// `execsim bench --table-from JSON [--update-readme FILE | --check FILE]`
// and `execsim bench --update-readme FILE` after a run: the README's
// performance block printed, rewritten or checked from a bench JSON.
// Exit statuses: 0 done (or the block matches), 1 the block differs
// (--check), 2 bad input (unreadable files, not a bench JSON, markers).
#pragma once

#include "libexec/cli/readme_block.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace execsim::bench {

/// The README's performance block.
inline constexpr cli::block_markers bench_block{
  "<!-- bench:begin -->", "<!-- bench:end -->", "the bench table"};

struct table_request {
  std::string json;   // --table-from
  std::string update; // --update-readme
  std::string check;  // --check
};

/// --table-from: prints the block (markers included, as it stands in a
/// README), or rewrites or checks `update` or `check`'s.
int table_from_command(const table_request& r);

/// Whether `file` can be read and has one well-formed block (else `error`).
/// Asked before a run with --update-readme, so a broken README fails at
/// once, not after the minutes of measuring.
bool readme_has_block(const std::string& file, std::string& error);

/// Rewrites `file`'s block from `bench`; `source` names where the figures
/// came from in what is printed ("this run", "docs/bench.json").
int update_readme(const std::string& file, const nlohmann::json& bench,
                  const std::string& source);

} // namespace execsim::bench
