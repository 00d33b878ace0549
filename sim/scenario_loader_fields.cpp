#include "sim/scenario_loader_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace execsim::scenario_loading {

namespace {

// fmt prints 2.0 as "2"; a float must still read as a float ("2.0").
std::string float_text(double x) {
  auto text = fmt::format("{}", x);
  if (text.find_first_of(".eEn") == std::string::npos)
    text += ".0";
  return text;
}

std::string range_text(std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max())
    return fmt::format(">= {}", min);
  return fmt::format("between {} and {}", min, max);
}

constexpr std::string_view duration_form =
  "expected a duration string with a unit, like \"250ms\"";
constexpr std::string_view decimal_form =
  "expected a decimal string, like \"150.25\"";

} // namespace

source_pos position_of(const toml::source_region& where) noexcept {
  return {where.begin.line, where.begin.column};
}

void error_list::add(source_pos pos, std::string message) {
  errors_.push_back({file_, pos, std::move(message)});
}

void error_list::add_other(load_error e) {
  errors_.push_back(std::move(e));
}

std::vector<load_error> error_list::take_sorted() {
  std::stable_sort(errors_.begin(), errors_.end(),
                   [this](const load_error& a, const load_error& b) {
                     bool a_own = a.file == file_, b_own = b.file == file_;
                     if (a_own != b_own)
                       return a_own;
                     if (a.file != b.file)
                       return a.file < b.file;
                     if (a.pos.line != b.pos.line)
                       return a.pos.line < b.pos.line;
                     return a.pos.column < b.pos.column;
                   });
  return std::move(errors_);
}

std::string describe(const toml::node& value) {
  switch (value.type()) {
    case toml::node_type::string:
      return "string " + quoted(value.as_string()->get());
    case toml::node_type::integer:
      return fmt::format("integer {}", value.as_integer()->get());
    case toml::node_type::floating_point:
      return "float " + float_text(value.as_floating_point()->get());
    case toml::node_type::boolean:
      return value.as_boolean()->get() ? "boolean true" : "boolean false";
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

// A plain loop: fmt::join trips GCC 12's -Wstringop-overflow at -O3.
std::string join_names(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0)
      out += ", ";
    out += names[i];
  }
  return out;
}

void field::fail(std::string_view message) const {
  errors_->add(pos(), fmt::format("{}: {}", path_, message));
}

std::optional<std::string> field::string() const {
  auto s = node_->as_string();
  if (!s) {
    fail(fmt::format("expected a string (got {})", describe(*node_)));
    return std::nullopt;
  }
  // A NUL would cut the string wherever it meets a C API (SQLite, exec).
  auto nul = s->get().find('\0');
  if (nul != std::string::npos) {
    fail(*control_char_message(s->get(), {}, "not allowed in any string"));
    return std::nullopt;
  }
  return s->get();
}

std::optional<std::string> field::plain_string(bool non_empty) const {
  auto text = non_empty ? non_empty_string() : string();
  if (!text)
    return std::nullopt;
  if (auto bad = control_char_message(*text, {}, plain_text_rule)) {
    fail(*bad);
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> field::free_text() const {
  auto text = string();
  if (!text)
    return std::nullopt;
  if (auto bad = control_char_message(
        *text, "\t\n\r", "only tab and line breaks are allowed here")) {
    fail(*bad);
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> field::non_empty_string() const {
  auto text = string();
  if (text && text->empty()) {
    fail("must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> field::boolean() const {
  if (auto b = node_->as_boolean())
    return b->get();
  fail(fmt::format("expected true or false (got {})", describe(*node_)));
  return std::nullopt;
}

std::optional<std::int64_t> field::integer(std::int64_t min,
                                           std::int64_t max) const {
  auto i = node_->as_integer();
  if (!i) {
    fail(fmt::format("expected an integer (got {})", describe(*node_)));
    return std::nullopt;
  }
  auto value = i->get();
  if (value < min || value > max) {
    fail(fmt::format("must be {} (got {})", range_text(min, max), value));
    return std::nullopt;
  }
  return value;
}

std::optional<double> field::number(double min, double max) const {
  double value = 0;
  if (auto i = node_->as_integer()) {
    value = static_cast<double>(i->get());
  } else if (auto f = node_->as_floating_point()) {
    value = f->get();
  } else {
    fail(fmt::format("expected a number (got {})", describe(*node_)));
    return std::nullopt;
  }
  // Written so NaN fails too.
  if (!(value >= min && value <= max)) {
    auto shown = node_->is_integer() ? fmt::format("{}", value)
                                     : float_text(value);
    fail(fmt::format("must be between {} and {} (got {})", min, max, shown));
    return std::nullopt;
  }
  return value;
}

std::optional<ns_t> field::duration(bool positive) const {
  auto s = node_->as_string();
  if (!s) {
    fail(fmt::format("{} (got {})", duration_form, describe(*node_)));
    return std::nullopt;
  }
  std::string error;
  auto value = parse_duration(s->get(), error);
  if (!value) {
    fail(error);
    return std::nullopt;
  }
  if (positive && *value == 0) {
    fail(fmt::format("must be > 0 (got {})", quoted(s->get())));
    return std::nullopt;
  }
  return value;
}

std::optional<decimal> field::decimal_string(bool positive) const {
  auto s = node_->as_string();
  if (!s) {
    fail(fmt::format("{} (got {})", decimal_form, describe(*node_)));
    return std::nullopt;
  }
  std::string error;
  auto value = decimal::parse(s->get(), error);
  if (!value) {
    fail(error);
    return std::nullopt;
  }
  if (positive && value->mantissa() <= 0) {
    fail(fmt::format("must be > 0 (got {})", quoted(s->get())));
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<std::string>> field::strings() const {
  auto array = node_->as_array();
  if (!array) {
    fail(fmt::format("expected an array of strings (got {})",
                     describe(*node_)));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (auto s = element(*array, i).string())
      out.push_back(std::move(*s));
    else
      ok = false;
  }
  if (!ok)
    return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> field::plain_strings() const {
  auto all = strings();
  if (!all)
    return std::nullopt;
  auto array = node_->as_array();
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i)
    ok = element(*array, i).plain_string(false).has_value() && ok;
  if (!ok)
    return std::nullopt;
  return all;
}

const toml::table* field::table() const {
  if (auto t = node_->as_table())
    return t;
  fail(fmt::format("expected a table (got {})", describe(*node_)));
  return nullptr;
}

const toml::array* field::table_array() const {
  auto array = node_->as_array();
  if (!array) {
    fail(fmt::format("expected an array of tables, like [[{}]] (got {})",
                     path_, describe(*node_)));
    return nullptr;
  }
  for (std::size_t i = 0; i < array->size(); ++i)
    (void)element(*array, i).table();
  return array;
}

std::optional<std::size_t>
field::choice(std::string_view what,
              const std::vector<std::string_view>& allowed) const {
  auto s = node_->as_string();
  if (!s) {
    fail(fmt::format("expected a string, one of: {} (got {})",
                     join_names(allowed), describe(*node_)));
    return std::nullopt;
  }
  auto found = std::find(allowed.begin(), allowed.end(), s->get());
  if (found == allowed.end()) {
    fail(fmt::format("unknown {} {} (expected one of: {})", what,
                     quoted(s->get()), join_names(allowed)));
    return std::nullopt;
  }
  return static_cast<std::size_t>(found - allowed.begin());
}

std::optional<std::vector<std::string>>
field::names(std::string_view what,
             const std::vector<std::string_view>& allowed) const {
  auto array = node_->as_array();
  if (!array) {
    fail(fmt::format("expected an array of strings, each one of: {} (got {})",
                     join_names(allowed), describe(*node_)));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (auto index = element(*array, i).choice(what, allowed))
      out.emplace_back(allowed[*index]);
    else
      ok = false;
  }
  if (!ok)
    return std::nullopt;
  return out;
}

field field::element(const toml::array& array, std::size_t index) const {
  return {*array.get(index), fmt::format("{}[{}]", path_, index + 1),
          *errors_};
}

source_pos table_reader::pos() const noexcept {
  auto pos = position_of(table_->source());
  if (path_.empty() || pos.line == 0)
    return {1, 1};
  return pos;
}

void table_reader::reject_unknown_keys(
  const std::vector<std::string_view>& allowed) const {
  for (auto&& [key, value] : *table_) {
    (void)value;
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end())
      continue;
    errors_->add(position_of(key.source()),
                 fmt::format("unknown key {} {} (expected one of: {})",
                             quoted(key.str()), where_, join_names(allowed)));
  }
}

std::optional<field> table_reader::get(std::string_view key) const {
  auto node = table_->get(key);
  if (!node)
    return std::nullopt;
  return field{*node, path_of(key), *errors_};
}

std::optional<field> table_reader::require(std::string_view key,
                                           std::string_view why) const {
  auto value = get(key);
  if (!value)
    fail(fmt::format("missing required key {}{}", quoted(key), why));
  return value;
}

std::string table_reader::path_of(std::string_view key) const {
  if (path_.empty())
    return std::string(key);
  return fmt::format("{}.{}", path_, key);
}

std::optional<table_reader> table_reader::sub_table(std::string_view key,
                                                    std::string where) const {
  auto value = get(key);
  if (!value)
    return std::nullopt;
  auto table = value->table();
  if (!table)
    return std::nullopt;
  return table_reader{*table, value->path(), std::move(where), *errors_};
}

void table_reader::fail(std::string_view message) const {
  if (path_.empty())
    errors_->add(pos(), std::string(message));
  else
    errors_->add(pos(), fmt::format("{}: {}", path_, message));
}

} // namespace execsim::scenario_loading
