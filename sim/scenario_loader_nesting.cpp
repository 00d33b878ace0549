#include "sim/scenario_loader_nesting.hpp"

#include <fmt/format.h>

#include <vector>

namespace execsim::scenario_loading {

namespace {

/// A small TOML lexer that knows just enough to count levels: strings and
/// comments (whose brackets and dots do not count), table headers, keys
/// (whose dots do) and values (whose brackets and braces do).
class nesting_scanner {
public:
  explicit nesting_scanner(std::string_view text) : text_(text) {
  }

  std::optional<nesting_error> run() {
    while (i_ < text_.size() && !error_)
      step();
    return error_;
  }

private:
  struct frame {
    int depth;  // the depth before the bracket opened
    int base;   // the key base to restore when it closes
    bool table; // '{' (keys follow) or '[' (values follow)
  };

  char peek(std::size_t ahead = 0) const noexcept {
    return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0';
  }

  void advance() noexcept {
    char c = text_[i_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_; // columns count characters, not UTF-8 bytes
    }
  }

  void deeper(int depth, const char* what) {
    if (depth <= nesting_max || error_)
      return;
    error_ = nesting_error{
      {line_, column_},
      fmt::format("{} nests deeper than {} levels (table headers, dotted "
                  "keys, arrays and inline tables counted together); a "
                  "scenario needs only a few",
                  what, nesting_max)};
  }

  void skip_comment() {
    while (i_ < text_.size() && peek() != '\n')
      advance();
  }

  /// Skips a string of any of the four kinds, its quotes included.
  void skip_string() {
    const char quote = peek();
    const bool multi = peek(1) == quote && peek(2) == quote;
    for (int k = 0; k < (multi ? 3 : 1); ++k)
      advance();
    while (i_ < text_.size()) {
      char c = peek();
      if (c == '\\' && quote == '"') {
        advance();
        if (i_ < text_.size())
          advance();
        continue;
      }
      if (c == '\n' && !multi)
        return; // unterminated: the parser says so
      if (c == quote && (!multi || (peek(1) == quote && peek(2) == quote))) {
        for (int k = 0; k < (multi ? 3 : 1); ++k)
          advance();
        return;
      }
      advance();
    }
  }

  bool at_top_level() const noexcept {
    return frames_.empty();
  }

  /// "[a.b.c]" or "[[a.b]]" at the start of a line: sets the key base.
  void table_header() {
    advance();
    int parts = 1;
    deeper(parts, "table header");
    while (i_ < text_.size() && peek() != ']' && peek() != '\n' && !error_) {
      if (peek() == '"' || peek() == '\'') {
        skip_string();
        continue;
      }
      if (peek() == '.')
        deeper(++parts, "table header");
      advance();
    }
    header_depth_ = parts;
    base_ = parts;
    in_key_ = true;
    key_parts_ = 0;
    while (peek() == ']')
      advance();
  }

  void open(bool table) {
    frames_.push_back({depth_, base_, table});
    deeper(++depth_, table ? "inline table" : "array");
    advance();
    if (table) {
      base_ = depth_;
      in_key_ = true;
      key_parts_ = 0;
    }
  }

  void close() {
    advance();
    if (frames_.empty())
      return; // unbalanced: the parser says so
    depth_ = frames_.back().depth;
    base_ = frames_.back().base;
    frames_.pop_back();
    in_key_ = false;
  }

  void key_char(char c) {
    if (c == '.') {
      deeper(base_ + ++key_parts_, "dotted key");
    } else if (c == '=') {
      depth_ = base_ + key_parts_;
      in_key_ = false;
    } else if (key_parts_ == 0 && c != ' ' && c != '\t') {
      key_parts_ = 1;
      deeper(base_ + key_parts_, "key");
    }
    advance();
  }

  void line_end() {
    advance();
    if (at_top_level()) {
      in_key_ = true;
      key_parts_ = 0;
      base_ = header_depth_;
      line_start_ = true;
    }
  }

  void step() {
    char c = peek();
    bool was_line_start = line_start_;
    if (c != ' ' && c != '\t')
      line_start_ = false;
    if (c == '\n')
      return line_end();
    if (c == '#')
      return skip_comment();
    if (c == '[' && was_line_start && at_top_level())
      return table_header();
    if (c == '"' || c == '\'') {
      if (in_key_ && key_parts_ == 0)
        deeper(base_ + ++key_parts_, "key");
      return skip_string();
    }
    if (in_key_)
      return key_char(c);
    if (c == '[' || c == '{')
      return open(c == '{');
    if (c == ']' || c == '}')
      return close();
    if (c == ',' && !frames_.empty() && frames_.back().table) {
      in_key_ = true;
      key_parts_ = 0;
    }
    advance();
  }

  std::string_view text_;
  std::size_t i_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
  bool line_start_ = true;
  bool in_key_ = true;
  int key_parts_ = 0;    // parts of the key being read
  int header_depth_ = 0; // parts of the last table header
  int base_ = 0;         // depth the current key starts from
  int depth_ = 0;        // depth of the value being read
  std::vector<frame> frames_;
  std::optional<nesting_error> error_;
};

} // namespace

std::optional<nesting_error> find_deep_nesting(std::string_view text) {
  return nesting_scanner{text}.run();
}

} // namespace execsim::scenario_loading
