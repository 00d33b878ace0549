#include "libexec/bench/readme_table.hpp"

#include "libexec/bench/report.hpp"
#include "libexec/explore/probe_coverage.hpp"

#include <fmt/format.h>

namespace execsim::bench {

namespace {

using json = nlohmann::json;

/// Reads the fields of one JSON object. The first missing or mistyped
/// field sets `error`, by its path from the top ("rows[3].figure") so a
/// hand-edited JSON is easy to mend; later reads then return empty values
/// and change nothing, so a caller reads everything and checks ok() once.
class fields {
public:
  fields(const json& j, std::string path, std::string& error)
    : j_(j), path_(std::move(path)), error_(error) {
    if (error_.empty() && !j_.is_object())
      error_ = path_.empty() ? "the JSON is not an object"
                             : fmt::format("\"{}\" is not an object", path_);
  }

  bool ok() const {
    return error_.empty();
  }

  std::string text(const char* key) {
    const auto* v = get(key, &json::is_string, "a string");
    return v ? v->get<std::string>() : "";
  }
  std::uint64_t count(const char* key) {
    const auto* v = get(key, &json::is_number_unsigned, "an unsigned integer");
    return v ? v->get<std::uint64_t>() : 0;
  }
  double number(const char* key) {
    const auto* v = get(key, &json::is_number, "a number");
    return v ? v->get<double>() : 0;
  }
  bool flag(const char* key) {
    const auto* v = get(key, &json::is_boolean, "true or false");
    return v && v->get<bool>();
  }
  const json* array(const char* key) {
    return get(key, &json::is_array, "an array");
  }
  const json* object(const char* key) {
    return get(key, &json::is_object, "an object");
  }

  /// "rows[3]" for a field of the top object, "rows[3].targets" below it.
  std::string path(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

private:
  const json* get(const char* key, bool (json::*is)() const noexcept,
                  const char* type) {
    if (!ok())
      return nullptr;
    if (!j_.contains(key)) {
      error_ = fmt::format("no \"{}\"", path(key));
      return nullptr;
    }
    if (!(j_[key].*is)()) {
      error_ = fmt::format("\"{}\" is not {}", path(key), type);
      return nullptr;
    }
    return &j_[key];
  }

  const json& j_;
  std::string path_;
  std::string& error_;
};

/// A table cell: a '|' would end the cell and a newline the row.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

/// "100,000 orders/s: **missed**": a missed target stands out in the
/// rendered table.
std::string target_text(const json& t, const std::string& path,
                        std::string& error) {
  fields f(t, path, error);
  auto text = f.text("text");
  auto verdict = f.text("verdict");
  if (!f.ok())
    return "";
  if (verdict == to_string(verdict::met))
    return cell(text) + ": met";
  if (verdict == to_string(verdict::missed))
    return cell(text) + ": **missed**";
  if (verdict == to_string(verdict::not_available))
    return cell(text) + ": n/a";
  error = fmt::format("\"{}\" is \"{}\", not MET, MISSED or n/a",
                      f.path("verdict"), verdict);
  return "";
}

/// "| 4 | end to end | 12,374 orders/s | 100,000 orders/s: **missed**; ... |"
std::string table_row(const json& row, std::size_t n, std::string& error) {
  fields f(row, fmt::format("rows[{}]", n - 1), error);
  auto title = f.text("title");
  auto figure = f.text("figure");
  const auto* targets = f.array("targets");
  std::string shown;
  for (std::size_t i = 0; f.ok() && i < targets->size(); ++i)
    shown += (i > 0 ? "; " : "")
             + target_text((*targets)[i],
                           f.path(fmt::format("targets[{}]", i)), error);
  // "| |" for no target, as a hand-written table would have it.
  return fmt::format("| {} | {} | {} |{}|\n", n, cell(title), cell(figure),
                     shown.empty() ? " " : " " + shown + " ");
}


/// The line under the table: which run, so a reader can judge the figures
/// (a debug build, a quick run or a loaded machine all make them slower).
std::string run_line(const json& meta, std::string& error) {
  fields m(meta, "meta", error);
  auto date = m.text("date");
  auto version = m.text("version");
  auto build = m.text("build");
  auto orders = m.count("orders");
  auto quick = m.flag("quick");
  auto cores = m.count("cores");
  auto start = m.text("load_average_start");
  auto end = m.text("load_average_end");
  auto seconds = m.number("seconds");
  return fmt::format(
    "From the bench run of {}: execsim {}, {} build, {} orders, {}, {} "
    "core(s), load average {} at the start and {} at the end; took {}.\n",
    date, version, build, grouped_count(orders),
    quick ? "`--quick`" : "full run (not `--quick`)", cores, start, end,
    seconds_text(seconds));
}

} // namespace

std::optional<std::string> readme_table(const json& bench,
                                        std::string& error) {
  error.clear();
  fields top(bench, "", error);
  // "meta" first: a JSON of a bench older than it is named by that.
  const auto* meta = top.object("meta");
  const auto* rows = top.array("rows");
  if (!top.ok())
    return std::nullopt;
  auto line = run_line(*meta, error);
  std::string out = "| # | measurement | figure | target |\n|---|---|---|---|\n";
  for (std::size_t i = 0; error.empty() && i < rows->size(); ++i)
    out += table_row((*rows)[i], i + 1, error);
  if (!error.empty())
    return std::nullopt;
  return out + "\n" + line;
}

} // namespace execsim::bench
