// A CSV file with a header naming its columns, read row by row: checks the
// header, maps the columns (any order), and applies the bad-row policy:
// stop at the first bad row with "file:line: why", or skip and count.
#pragma once

#include "libexec/backtest/csv_reader.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace execsim::backtest {

/// What reading a file came to.
struct read_report {
  std::uint64_t rows = 0;     // data rows read, good and bad
  std::uint64_t bad_rows = 0; // skipped (only with skip_bad_rows)
  /// "file:line: why" of the first skipped rows.
  std::vector<std::string> bad_examples;
  /// Set when reading stopped: an unreadable file, a bad header, or a bad
  /// row without skip_bad_rows.
  std::string error;
};

class csv_table {
public:
  /// Bad rows kept as examples in the report.
  static constexpr std::size_t examples_max = 10;

  /// `columns`: the names the header must have, each once.
  csv_table(std::string path, std::vector<std::string_view> columns,
            bool skip_bad_rows);

  /// The next row with as many fields as the header, or nullptr at the end
  /// of the file or when reading stopped (report().error).
  const csv_record* next();

  /// Field `column` (index into the constructor's `columns`) of `row`.
  std::string_view field(const csv_record& row, std::size_t column) const
    noexcept {
    return row[index_[column]];
  }

  /// `row` is bad: skips it (true) or stops reading (false).
  bool reject(const csv_record& row, std::string_view why);

  const read_report& report() const noexcept {
    return report_;
  }
  const std::string& path() const noexcept {
    return reader_.path();
  }
  std::uint64_t bytes_read() const noexcept {
    return reader_.bytes_read();
  }

private:
  bool read_header();

  csv_reader reader_;
  std::vector<std::string_view> columns_;
  std::vector<std::size_t> index_; // column -> field index
  std::size_t width_ = 0;          // fields per row
  bool skip_bad_rows_;
  bool stopped_ = false;
  read_report report_;
};

} // namespace execsim::backtest
