#include "libexec/backtest/csv_reader.hpp"

#include <csv.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace execsim::backtest {

// libcsv calls these for every field and every record end. With
// CSV_REPALL_NL it reports every unquoted line end, even of blank lines, so
// counting '\n' there (and inside quoted fields) gives exact line numbers.
struct csv_reader::callbacks {
  static void field(void* data, std::size_t len, void* self_ptr) {
    auto& self = *static_cast<csv_reader*>(self_ptr);
    auto& r = self.open_record();
    if (r.fields_.size() <= r.size_)
      r.fields_.emplace_back();
    const auto* text = static_cast<const char*>(data);
    r.fields_[r.size_++].assign(text, len);
    self.line_ += static_cast<std::uint64_t>(std::count(text, text + len, '\n'));
  }

  static void record_end(int c, void* self_ptr) {
    auto& self = *static_cast<csv_reader*>(self_ptr);
    if (self.in_record_) {
      self.in_record_ = false;
      ++self.ready_;
    }
    if (c == '\n')
      ++self.line_;
  }
};

csv_reader::csv_reader(std::string path, std::size_t chunk_bytes)
  : path_(std::move(path)),
    file_(std::fopen(path_.c_str(), "rb"), &std::fclose),
    parser_(std::make_unique<csv_parser>()),
    chunk_(chunk_bytes) {
  if (!file_) {
    error_ = fmt::format("{}: cannot open ({})", path_,
                         std::generic_category().message(errno));
    finished_ = true;
  }
  csv_init(parser_.get(), CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
  // libcsv grows a field's buffer by this much at a time (default 128
  // bytes): a huge field would be copied over and over, quadratic where
  // realloc cannot grow in place (as under AddressSanitizer).
  csv_set_blk_size(parser_.get(), 64 * 1024);
}

csv_reader::~csv_reader() {
  csv_free(parser_.get());
}

csv_record& csv_reader::open_record() {
  if (!in_record_) {
    in_record_ = true;
    if (records_.size() <= ready_)
      records_.emplace_back();
    auto& r = records_[ready_];
    r.size_ = 0;
    r.line_ = line_;
  }
  return records_[ready_];
}

bool csv_reader::fill() {
  // A record cut by the chunk's end continues in the next chunk: move it to
  // the front, where the records of the next chunk start.
  if (in_record_ && ready_ > 0)
    std::swap(records_[0], records_[ready_]);
  ready_ = 0;
  next_ = 0;
  while (ready_ == 0 && !finished_) {
    auto got = std::fread(chunk_.data(), 1, chunk_.size(), file_.get());
    bytes_read_ += got;
    if (got > 0) {
      auto used = csv_parse(parser_.get(), chunk_.data(), got,
                            callbacks::field, callbacks::record_end, this);
      if (used != got) {
        // The records before the error are still handed out first.
        error_ = fmt::format("{}:{}: malformed CSV ({})", path_, line_,
                             csv_strerror(csv_error(parser_.get())));
        finished_ = true;
        return ready_ > 0;
      }
    }
    if (got < chunk_.size()) {
      if (std::ferror(file_.get())) {
        error_ = fmt::format("{}: read error ({})", path_,
                             std::generic_category().message(errno));
        finished_ = true;
        return ready_ > 0;
      }
      if (csv_fini(parser_.get(), callbacks::field, callbacks::record_end,
                   this)
          != 0) {
        error_ = fmt::format("{}:{}: malformed CSV (a quoted field is not "
                             "closed)",
                             path_, line_);
        finished_ = true;
        return ready_ > 0;
      }
      finished_ = true;
    }
  }
  return ready_ > 0;
}

const csv_record* csv_reader::next() {
  if (next_ == ready_ && !fill())
    return nullptr;
  return &records_[next_++];
}

} // namespace execsim::backtest
