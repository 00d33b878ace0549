// The README's performance table, generated from a bench JSON (what
// `execsim bench --json` writes): one markdown row per bench row, then a
// line naming the run. The README holds it between markers
// (libexec/cli/readme_block.hpp) and a test checks it against
// docs/bench.json, so the table is never edited by hand.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace execsim::bench {

/// The lines that go between the markers, each ending in '\n'. nullopt
/// when `bench` is not a bench JSON; `error` then names the field that is
/// missing or of the wrong type ("no \"meta.date\"").
std::optional<std::string> readme_table(const nlohmann::json& bench,
                                        std::string& error);

} // namespace execsim::bench
