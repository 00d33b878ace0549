#include "libexec/bench/readme_block.hpp"

#include <fmt/format.h>

#include <string_view>
#include <vector>

namespace execsim::bench {

namespace {

/// A marker line: the marker alone, give or take surrounding blanks (and
/// the '\r' of a CRLF file).
bool is_marker(std::string_view line, std::string_view marker) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!line.empty() && blank(line.front()))
    line.remove_prefix(1);
  while (!line.empty() && blank(line.back()))
    line.remove_suffix(1);
  return line == marker;
}

struct marker_at {
  std::size_t line = 0;   // 1-based
  std::size_t offset = 0; // the line's first byte
  std::size_t next = 0;   // the first byte after the line's '\n'
};

struct markers {
  std::vector<marker_at> begins, ends;
};

markers scan(const std::string& text) {
  markers found;
  std::size_t line = 1;
  for (std::size_t at = 0; at < text.size(); ++line) {
    auto nl = text.find('\n', at);
    auto next = nl == std::string::npos ? text.size() : nl + 1;
    std::string_view view(text.data() + at, next - at);
    if (!view.empty() && view.back() == '\n')
      view.remove_suffix(1);
    if (is_marker(view, block_begin_marker))
      found.begins.push_back({line, at, next});
    else if (is_marker(view, block_end_marker))
      found.ends.push_back({line, at, next});
    at = next;
  }
  return found;
}

} // namespace

std::optional<block_span> find_block(const std::string& text,
                                     const std::string& file,
                                     std::string& error) {
  auto m = scan(text);
  const auto* b = block_begin_marker;
  const auto* e = block_end_marker;
  if (m.begins.size() > 1)
    error = fmt::format("{}:{}: a second {} line (the first is line {})", file,
                        m.begins[1].line, b, m.begins[0].line);
  else if (m.ends.size() > 1)
    error = fmt::format("{}:{}: a second {} line (the first is line {})", file,
                        m.ends[1].line, e, m.ends[0].line);
  else if (m.begins.empty() && m.ends.empty())
    error = fmt::format("{}: no {} and {} lines around the bench table", file,
                        b, e);
  else if (m.begins.empty())
    error = fmt::format("{}:{}: {} without a {} line before it", file,
                        m.ends[0].line, e, b);
  else if (m.ends.empty())
    error = fmt::format("{}:{}: {} without a {} line after it", file,
                        m.begins[0].line, b, e);
  else if (m.ends[0].line < m.begins[0].line)
    error = fmt::format("{}:{}: {} before the {} line (line {})", file,
                        m.ends[0].line, e, b, m.begins[0].line);
  else
    return block_span{m.begins[0].line, m.ends[0].line, m.begins[0].next,
                      m.ends[0].offset};
  return std::nullopt;
}

std::string replace_block(const std::string& text, const block_span& span,
                          const std::string& lines) {
  return text.substr(0, span.from) + lines + text.substr(span.to);
}

std::string block_lines(const std::string& text, const block_span& span) {
  return text.substr(span.from, span.to - span.from);
}

} // namespace execsim::bench
