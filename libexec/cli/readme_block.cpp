#include "libexec/cli/readme_block.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>
#include <vector>

namespace execsim::cli {

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

struct marker_lines {
  std::vector<marker_at> begins, ends;
};

marker_lines scan(const std::string& text, const block_markers& kind) {
  marker_lines found;
  std::size_t line = 1;
  for (std::size_t at = 0; at < text.size(); ++line) {
    auto nl = text.find('\n', at);
    auto next = nl == std::string::npos ? text.size() : nl + 1;
    std::string_view view(text.data() + at, next - at);
    if (!view.empty() && view.back() == '\n')
      view.remove_suffix(1);
    if (is_marker(view, kind.begin))
      found.begins.push_back({line, at, next});
    else if (is_marker(view, kind.end))
      found.ends.push_back({line, at, next});
    at = next;
  }
  return found;
}

} // namespace

std::optional<block_span> find_block(const std::string& text,
                                     const block_markers& markers,
                                     const std::string& file,
                                     std::string& error) {
  auto m = scan(text, markers);
  const auto* b = markers.begin;
  const auto* e = markers.end;
  if (m.begins.size() > 1)
    error = fmt::format("{}:{}: a second {} line (the first is line {})", file,
                        m.begins[1].line, b, m.begins[0].line);
  else if (m.ends.size() > 1)
    error = fmt::format("{}:{}: a second {} line (the first is line {})", file,
                        m.ends[1].line, e, m.ends[0].line);
  else if (m.begins.empty() && m.ends.empty())
    error = fmt::format("{}: no {} and {} lines around {}", file, b, e,
                        markers.what);
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

bool write_file_atomically(const std::string& file, const std::string& text,
                           std::string& error) {
  namespace fs = std::filesystem;
  auto temp = file + ".execsim-tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      error = fmt::format("cannot write {}", temp);
      std::error_code ignored;
      fs::remove(temp, ignored);
      return false;
    }
  }
  std::error_code ec;
  auto perms = fs::status(file, ec).permissions();
  if (!ec) // best effort: a README left 0600 by the rename is no failure
    fs::permissions(temp, perms, ec);
  fs::rename(temp, file, ec);
  if (ec) {
    error = fmt::format("cannot replace {}: {}", file, ec.message());
    std::error_code ignored;
    fs::remove(temp, ignored);
    return false;
  }
  return true;
}

} // namespace execsim::cli
