#include "libexec/backtest/csv_table.hpp"

#include "sim/quoted.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace execsim::backtest {

namespace {

std::string joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names)
    out += (out.empty() ? "" : ",") + std::string(n);
  return out;
}

/// A header field without a UTF-8 byte order mark (spreadsheets add one).
std::string_view header_name(std::string_view s, bool first) noexcept {
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (first && s.substr(0, bom.size()) == bom)
    s.remove_prefix(bom.size());
  return s;
}

} // namespace

csv_table::csv_table(std::string path, std::vector<std::string_view> columns,
                     bool skip_bad_rows)
  : reader_(std::move(path)),
    columns_(std::move(columns)),
    index_(columns_.size(), 0),
    skip_bad_rows_(skip_bad_rows) {
  if (!reader_.error().empty()) {
    report_.error = reader_.error();
    stopped_ = true;
    return;
  }
  stopped_ = !read_header();
}

bool csv_table::read_header() {
  const auto* header = reader_.next();
  if (header == nullptr) {
    report_.error = !reader_.error().empty()
                      ? reader_.error()
                      : fmt::format("{}: empty file (expected the header {})",
                                    path(), joined(columns_));
    return false;
  }
  auto fail = [&](std::string why) {
    report_.error = fmt::format("{}:{}: {} (expected the header {})", path(),
                                header->line(), why, joined(columns_));
    return false;
  };
  std::vector<bool> seen(columns_.size(), false);
  width_ = header->size();
  for (std::size_t i = 0; i < header->size(); ++i) {
    auto name = header_name((*header)[i], i == 0);
    auto known = std::find(columns_.begin(), columns_.end(), name);
    if (known == columns_.end())
      return fail(fmt::format("unknown column {}", quoted(name)));
    auto c = static_cast<std::size_t>(known - columns_.begin());
    if (seen[c])
      return fail(fmt::format("column {} appears twice", quoted(name)));
    seen[c] = true;
    index_[c] = i;
  }
  for (std::size_t c = 0; c < columns_.size(); ++c)
    if (!seen[c])
      return fail(fmt::format("missing column \"{}\"", columns_[c]));
  return true;
}

const csv_record* csv_table::next() {
  while (!stopped_) {
    const auto* row = reader_.next();
    if (row == nullptr) {
      stopped_ = true;
      if (!reader_.error().empty())
        report_.error = reader_.error();
      return nullptr;
    }
    ++report_.rows;
    if (row->size() == width_)
      return row;
    if (!reject(*row, fmt::format("expected {} fields, got {}", width_,
                                  row->size())))
      return nullptr;
  }
  return nullptr;
}

bool csv_table::reject(const csv_record& row, std::string_view why) {
  auto message = fmt::format("{}:{}: {}", path(), row.line(), why);
  if (!skip_bad_rows_) {
    report_.error = std::move(message);
    stopped_ = true;
    return false;
  }
  ++report_.bad_rows;
  if (report_.bad_examples.size() < examples_max)
    report_.bad_examples.push_back(std::move(message));
  return true;
}

} // namespace execsim::backtest
