// Reading typed values out of a parsed TOML scenario: every value that is
// missing, of the wrong type or out of range becomes one load_error at the
// value's position, named by its field path ("orders[2].quantity").
//
// Indices in field paths are 1-based ("orders[1]" is the first [[orders]]
// table, "executor.fatal_codes[1]" the first code) because people count
// tables in a file from one, and the messages are for people.
#pragma once

#include "sim/decimal.hpp"
#include "sim/plain_text.hpp"
#include "sim/quoted.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/virtual_time.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace execsim::scenario_loading {

source_pos position_of(const toml::source_region& where) noexcept;

/// Every error found in one file so far.
class error_list {
public:
  explicit error_list(std::string file) : file_(std::move(file)) {
  }

  void add(source_pos pos, std::string message);
  /// An error found in another file this one includes (a venue profile);
  /// listed after this file's own.
  void add_other(load_error e);

  bool empty() const noexcept {
    return errors_.empty();
  }

  /// The errors by line, then column; errors at the same place keep the
  /// order they were found in, so the output is the same on every run.
  std::vector<load_error> take_sorted();

private:
  std::string file_;
  std::vector<load_error> errors_;
};

/// Why ids, names, symbols and codes may not hold control characters.
constexpr std::string_view plain_text_rule =
  "not allowed in ids, names, symbols and codes";

/// What a value is, for "(got ...)": `integer 2`, `string "2s"`, `table`.
std::string describe(const toml::node& value);

/// "a, b, c": the accepted names in a message.
std::string join_names(const std::vector<std::string_view>& names);

/// One value of the file with its field path.
class field {
public:
  field(const toml::node& node, std::string path, error_list& errors) noexcept
    : node_(&node), path_(std::move(path)), errors_(&errors) {
  }

  const toml::node& node() const noexcept {
    return *node_;
  }
  const std::string& path() const noexcept {
    return path_;
  }
  source_pos pos() const noexcept {
    return position_of(node_->source());
  }
  error_list& errors() const noexcept {
    return *errors_;
  }

  /// Reports "path: message" at this value.
  void fail(std::string_view message) const;

  /// Any string but one with a NUL (U+0000), which C APIs would cut.
  std::optional<std::string> string() const;
  std::optional<std::string> non_empty_string() const;
  /// A string without control characters (U+0000 to U+001F, U+007F): ids,
  /// names, symbols, codes. `non_empty` also rejects "".
  std::optional<std::string> plain_string(bool non_empty = true) const;
  /// A string whose only control characters are tab and line breaks (a
  /// description).
  std::optional<std::string> free_text() const;
  /// An array of plain strings (each may be empty).
  std::optional<std::vector<std::string>> plain_strings() const;
  std::optional<bool> boolean() const;
  std::optional<std::int64_t> integer(std::int64_t min, std::int64_t max) const;
  /// An integer or a float, in [min, max].
  std::optional<double> number(double min, double max) const;
  /// A duration string with a unit; `positive` rejects "0s".
  std::optional<ns_t> duration(bool positive) const;
  /// A decimal string ("150.25"); `positive` rejects zero and below.
  std::optional<decimal> decimal_string(bool positive) const;
  std::optional<std::vector<std::string>> strings() const;
  const toml::table* table() const;
  /// An array of tables (`[[orders]]`). Elements that are not tables are
  /// reported here; callers skip them.
  const toml::array* table_array() const;
  /// One of `allowed` (`what` names the setting in messages: "fault
  /// kind"); returns the index of the name.
  std::optional<std::size_t>
  choice(std::string_view what,
         const std::vector<std::string_view>& allowed) const;
  /// An array of strings, each one of `allowed`.
  std::optional<std::vector<std::string>>
  names(std::string_view what,
        const std::vector<std::string_view>& allowed) const;

  /// Element `index` (0-based) of an array value, named "path[index+1]".
  field element(const toml::array& array, std::size_t index) const;

private:
  const toml::node* node_;
  std::string path_;
  error_list* errors_;
};

/// A table of the file: finds its keys, reports unknown and missing ones.
class table_reader {
public:
  /// `path` prefixes field paths ("" at top level); `where` names the table
  /// after "unknown key ..." ("at top level", "in [executor]").
  table_reader(const toml::table& table, std::string path, std::string where,
               error_list& errors) noexcept
    : table_(&table), path_(std::move(path)), where_(std::move(where)),
      errors_(&errors) {
  }

  const toml::table& table() const noexcept {
    return *table_;
  }
  const std::string& path() const noexcept {
    return path_;
  }
  error_list& errors() const noexcept {
    return *errors_;
  }
  /// The table's header; 1:1 for the document itself (its own position
  /// may be unset for an empty file).
  source_pos pos() const noexcept;

  /// Reports every key not in `allowed`, listing `allowed` as expected.
  void reject_unknown_keys(const std::vector<std::string_view>& allowed) const;

  /// The value at `key`; nullopt when the key is absent.
  std::optional<field> get(std::string_view key) const;
  /// Like get, but a missing key is reported at the table; `why` is added
  /// to the message (" for fault kind \"reject\"").
  std::optional<field> require(std::string_view key,
                               std::string_view why = {}) const;
  /// The field path of `key` ("executor.jitter", or "name" at top level).
  std::string path_of(std::string_view key) const;
  /// The table at `key` (reported when not a table); nullopt when absent.
  /// `where` is its name for unknown keys ("in [executor]").
  std::optional<table_reader> sub_table(std::string_view key,
                                        std::string where) const;

  /// Reports "path: message" at the table (the message alone at top level).
  void fail(std::string_view message) const;

private:
  const toml::table* table_;
  std::string path_;
  std::string where_;
  error_list* errors_;
};

/// Calls `read(table_reader)` with each table of the array of tables at
/// `key` of `parent`, named "key[1]", "key[2]", ...
template <class Read>
void for_each_table(const table_reader& parent, std::string_view key,
                    Read read) {
  auto value = parent.get(key);
  if (!value)
    return;
  auto array = value->table_array();
  if (!array)
    return;
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto table = array->get(i)->as_table();
    if (!table)
      continue; // reported by table_array
    auto path = value->path() + "[" + std::to_string(i + 1) + "]";
    read(table_reader{*table, path, "in " + path, parent.errors()});
  }
}

/// The names of an enum whose values run from 0 to `last`, as its
/// to_string spells them.
template <class E>
std::vector<std::string_view> enum_names(E last) {
  std::vector<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(last); ++i)
    names.emplace_back(to_string(static_cast<E>(i)));
  return names;
}

/// A value of an enum whose values run from 0 to `last`, by name.
template <class E>
std::optional<E> read_enum(const field& value, std::string_view what, E last) {
  auto index = value.choice(what, enum_names(last));
  if (!index)
    return std::nullopt;
  return static_cast<E>(*index);
}

} // namespace execsim::scenario_loading
