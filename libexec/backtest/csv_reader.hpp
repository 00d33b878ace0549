// Streams a CSV file record by record through libcsv: the file is read in
// 64 KiB chunks, so memory does not depend on its length. Each record knows
// the line it starts on, for "file:line" errors.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct csv_parser;

namespace execsim::backtest {

/// One record: its fields (quotes removed, surrounding blanks trimmed) and
/// the 1-based line it starts on.
class csv_record {
public:
  std::uint64_t line() const noexcept {
    return line_;
  }
  std::size_t size() const noexcept {
    return size_;
  }
  std::string_view operator[](std::size_t i) const noexcept {
    return fields_[i];
  }

private:
  friend class csv_reader;
  std::uint64_t line_ = 0;
  std::size_t size_ = 0;
  // Kept across records (size_ says how many are in use) so a long file
  // does not allocate per field.
  std::vector<std::string> fields_;
};

class csv_reader {
public:
  /// Opens `path`; check `error()` before reading.
  explicit csv_reader(std::string path, std::size_t chunk_bytes = 64 * 1024);
  ~csv_reader();
  csv_reader(const csv_reader&) = delete;
  csv_reader& operator=(const csv_reader&) = delete;

  /// The next non-blank record, or nullptr at the end of the file or on an
  /// error (then `error()` is set). Valid until the next call.
  const csv_record* next();

  /// "file:line: message" of the first read or syntax error; "" if none.
  const std::string& error() const noexcept {
    return error_;
  }
  const std::string& path() const noexcept {
    return path_;
  }
  /// Bytes read so far (for progress).
  std::uint64_t bytes_read() const noexcept {
    return bytes_read_;
  }

private:
  struct callbacks;
  /// Parses the next chunk into records_; false at the end of the input.
  bool fill();
  csv_record& open_record();

  std::string path_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  std::unique_ptr<csv_parser> parser_;
  std::vector<char> chunk_;
  std::vector<csv_record> records_;
  std::size_t ready_ = 0; // complete records in records_
  std::size_t next_ = 0;  // the next one to hand out
  bool in_record_ = false;
  bool finished_ = false;
  std::uint64_t line_ = 1;
  std::uint64_t bytes_read_ = 0;
  std::string error_;
};

} // namespace execsim::backtest
