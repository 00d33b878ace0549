// `execsim conformance`: every executor against every venue profile
// (libexec/conformance/), printed as a table; a report, so it exits 0
// whether or not an invariant broke (2 on bad input).
#include "libexec/cli/commands.hpp"
#include "libexec/cli/option_checks.hpp"
#include "libexec/cli/readme_block.hpp"
#include "libexec/cli/writable_dir.hpp"
#include "libexec/conformance/conformance.hpp"
#include "libexec/conformance/conformance_text.hpp"
#include "sim/file_text.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>

namespace execsim::cli {

namespace {

struct conformance_cli {
  conformance_settings settings;
  std::string format = "text";
  std::string update_readme;
  bool no_shrink = false;
};

std::string rendered(const conformance_cli& c, const conformance_table& t) {
  if (!c.update_readme.empty() || c.format == "md")
    return conformance_markdown(t);
  if (c.format == "json")
    return conformance_json(t);
  return conformance_plain(t);
}

int fail(const std::string& message) {
  std::cerr << "execsim conformance: " << message << "\n";
  return exit_bad_input;
}

/// Replaces the table between the markers in `file` (whole lines, each
/// once), through a temporary file and a rename.
int update_readme(const std::string& file, const std::string& table) {
  static constexpr block_markers markers{conformance_begin, conformance_end,
                                         "the conformance table"};
  std::string error;
  auto text = file_text(file, error);
  if (!text)
    return fail(fmt::format("--update-readme {}: cannot read it", file));
  auto span = find_block(*text, markers, file, error);
  if (!span)
    return fail(error);
  if (!write_file_atomically(file, replace_block(*text, *span, table), error))
    return fail(error);
  std::cout << "updated the conformance table in " << file << "\n";
  return exit_pass;
}

int conformance_command(conformance_cli c) {
  if (c.no_shrink)
    c.settings.out_dir.clear();
  else if (auto problem = writable_dir_problem(c.settings.out_dir);
           !problem.empty())
    return fail(fmt::format("--out-dir {}: {}", c.settings.out_dir, problem));
  std::vector<std::string> errors;
  auto table = run_conformance(c.settings, errors);
  if (!errors.empty()) {
    for (const auto& e : errors)
      std::cerr << e << "\n";
    return exit_bad_input;
  }
  auto text = rendered(c, table);
  if (!c.update_readme.empty())
    return update_readme(c.update_readme, text);
  std::cout << text;
  return exit_pass;
}

} // namespace

void add_conformance_command(CLI::App& app, action& chosen) {
  auto c = std::make_shared<conformance_cli>();
  c->settings.executors = {"scenarios/explore/defaults.toml",
                           "scenarios/explore/original-service.toml"};
  c->settings.out_dir = "conformance-out";
  auto* cmd = app.add_subcommand(
    "conformance", "Explore every executor against every venue profile and "
                   "print which invariants hold");
  cmd->add_option("--executor", c->settings.executors,
                  "Base exploration files (executor, orders, fault chances)")
    ->capture_default_str();
  cmd->add_option("--profile", c->settings.profiles,
                  "Venue profiles (names or .toml paths; default: every "
                  "known one)");
  cmd->add_option("--seeds", c->settings.seeds, "Seeds per profile")
    ->capture_default_str()
    ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  cmd->add_option("--format", c->format, "md, text or json")
    ->check(CLI::IsMember({"md", "text", "json"}))
    ->capture_default_str();
  cmd->add_option("--out-dir", c->settings.out_dir,
                  "Where the minimal scenario of each broken cell is written")
    ->check(non_empty_check())
    ->capture_default_str();
  cmd->add_flag("--no-shrink", c->no_shrink,
                "Do not shrink: a broken cell names its seed only");
  cmd->add_option("--update-readme", c->update_readme,
                  "Write the Markdown table between the conformance markers "
                  "of this file (README.md) instead of printing it")
    ->check(non_empty_check());
  cmd->callback(
    [c, &chosen] { chosen = [c] { return conformance_command(*c); }; });
}

} // namespace execsim::cli
