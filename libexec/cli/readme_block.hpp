// A generated block of a README: the lines between a begin marker line and
// an end marker line (`<!-- bench:begin -->` and `<!-- bench:end -->` for
// `execsim bench`, `<!-- conformance:begin -->` and `<!-- conformance:end
// -->` for `execsim conformance`). Only whole lines count as markers, so
// prose that quotes a marker (in backticks) is not one. Everything outside
// the block is left byte for byte as it was, and the file is rewritten
// through a file beside it and a rename, never half written.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace execsim::cli {

/// Which block: its two marker lines, and what it holds, for messages
/// ("the bench table").
struct block_markers {
  const char* begin;
  const char* end;
  const char* what;
};

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
                                     const block_markers& markers,
                                     const std::string& file,
                                     std::string& error);

/// `text` with the block's lines replaced by `lines` (each ending in '\n').
std::string replace_block(const std::string& text, const block_span& span,
                          const std::string& lines);

/// The block's lines as they are in `text`.
std::string block_lines(const std::string& text, const block_span& span);

/// Replaces `file` with `text` through FILE.execsim-tmp and a rename, so a
/// failed write (a full disk) never leaves half a README; the file keeps
/// its permissions. false with `error` ("cannot write FILE.execsim-tmp",
/// "cannot replace FILE: REASON") when it fails, `file` then untouched.
bool write_file_atomically(const std::string& file, const std::string& text,
                           std::string& error);

} // namespace execsim::cli
