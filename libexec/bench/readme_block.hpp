// The generated block of a README: the lines between a line
// `<!-- bench:begin -->` and a line `<!-- bench:end -->`. Only whole lines
// count as markers, so prose that quotes a marker (`<!-- bench:begin -->`
// in backticks) is not one. Everything outside the block is left byte for
// byte as it was.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace execsim::bench {

inline constexpr const char* block_begin_marker = "<!-- bench:begin -->";
inline constexpr const char* block_end_marker = "<!-- bench:end -->";

struct block_span {
  std::size_t begin_line = 0; // 1-based: the begin marker's line
  std::size_t end_line = 0;   // the end marker's line
  std::size_t from = 0;       // offset of the first byte after the begin line
  std::size_t to = 0;         // offset of the end marker's line
};

/// The one block of `text`. nullopt when its markers are missing, one is
/// there twice, the begin has no end or the end comes first; `error` then
/// says which, as "FILE:LINE: ..." with the offending marker's line.
std::optional<block_span> find_block(const std::string& text,
                                     const std::string& file,
                                     std::string& error);

/// `text` with the block's lines replaced by `lines` (each ending in '\n').
std::string replace_block(const std::string& text, const block_span& span,
                          const std::string& lines);

/// The block's lines as they are in `text`.
std::string block_lines(const std::string& text, const block_span& span);

} // namespace execsim::bench
