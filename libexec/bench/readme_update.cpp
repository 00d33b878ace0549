#include "libexec/bench/readme_update.hpp"

#include "libexec/bench/readme_table.hpp"
#include "libexec/cli/commands.hpp"
#include "sim/file_text.hpp"

#include <fmt/format.h>

#include <iostream>
#include <optional>

namespace execsim::bench {

namespace {

using cli::block_lines;
using cli::exit_bad_input;
using cli::exit_fail;
using cli::exit_pass;
using cli::find_block;
using cli::replace_block;

int bad_input(const std::string& message) {
  std::cerr << "execsim bench: " << message << "\n";
  return exit_bad_input;
}

/// The table of the bench JSON in `file`.
std::optional<std::string> table_of_file(const std::string& file,
                                         std::string& error) {
  auto text = file_text(file, error);
  if (!text)
    return std::nullopt;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    error = fmt::format("{} is not JSON: {}", file, e.what());
    return std::nullopt;
  }
  auto table = readme_table(j, error);
  if (!table)
    error = fmt::format("{} is not a bench JSON: {}", file, error);
  return table;
}

/// The first line of `file` where its block and `wanted` part, so the
/// message points at the stale figure.
std::size_t first_difference(const std::string& found,
                             const std::string& wanted,
                             std::size_t first_line) {
  std::size_t line = first_line;
  for (std::size_t i = 0; i < found.size() && i < wanted.size(); ++i) {
    if (found[i] != wanted[i])
      return line;
    if (found[i] == '\n')
      ++line;
  }
  return line;
}

/// `file`'s block against `table`: 0 when equal, else 1 with how to mend it.
int check_readme(const std::string& file, const std::string& table,
                 const std::string& json) {
  std::string error;
  auto text = file_text(file, error);
  auto span = text ? find_block(*text, bench_block, file, error) : std::nullopt;
  if (!span)
    return bad_input(error);
  auto found = block_lines(*text, *span);
  if (found == table) {
    std::cout << fmt::format("{}: the bench table matches {}\n", file, json);
    return exit_pass;
  }
  std::cerr << fmt::format(
    "execsim bench: {}:{}: the bench table between {} (line {}) and {} "
    "(line {}) differs from what {} generates; regenerate it with:\n"
    "  execsim bench --table-from {} --update-readme {}\n",
    file, first_difference(found, table, span->begin_line + 1),
    bench_block.begin, span->begin_line, bench_block.end, span->end_line,
    json, json, file);
  return exit_fail;
}

/// `file`'s block rewritten to `table`; untouched when it already is.
int write_block(const std::string& file, const std::string& table,
                const std::string& source) {
  std::string error;
  auto text = file_text(file, error);
  auto span = text ? find_block(*text, bench_block, file, error) : std::nullopt;
  if (!span)
    return bad_input(error);
  auto updated = replace_block(*text, *span, table);
  if (updated == *text) {
    std::cout << fmt::format("{}: the bench table already matches {}\n", file,
                             source);
    return exit_pass;
  }
  if (!cli::write_file_atomically(file, updated, error))
    return bad_input(error);
  std::cout << fmt::format("{}: bench table (lines {}-{}) rewritten from {}\n",
                           file, span->begin_line, span->end_line, source);
  return exit_pass;
}

} // namespace

int table_from_command(const table_request& r) {
  std::string error;
  auto table = table_of_file(r.json, error);
  if (!table)
    return bad_input(error);
  if (!r.check.empty())
    return check_readme(r.check, *table, r.json);
  if (!r.update.empty())
    return write_block(r.update, *table, r.json);
  std::cout << bench_block.begin << "\n"
            << *table << bench_block.end << "\n";
  return exit_pass;
}

bool readme_has_block(const std::string& file, std::string& error) {
  auto text = file_text(file, error);
  return text && find_block(*text, bench_block, file, error);
}

int update_readme(const std::string& file, const nlohmann::json& bench,
                  const std::string& source) {
  std::string error;
  auto table = readme_table(bench, error);
  if (!table) // the bench's own JSON: a bug, not the user's input
    return bad_input(fmt::format("this run's JSON: {}", error));
  return write_block(file, *table, source);
}

} // namespace execsim::bench
