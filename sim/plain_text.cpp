#include "sim/plain_text.hpp"

#include "sim/quoted.hpp"

#include <fmt/format.h>

namespace execsim {

namespace {

/// The first control character of `text` not in `allowed`, as its
/// 0-based byte offset; npos if none.
std::size_t control_char(std::string_view text, std::string_view allowed) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 || c == 0x7F) && allowed.find(text[i]) == std::string_view::npos)
      return i;
  }
  return std::string_view::npos;
}

/// The 1-based character (not byte) number of byte `offset` of UTF-8 `text`.
std::size_t character_number(std::string_view text, std::size_t offset) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < offset; ++i)
    n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

} // namespace

std::optional<std::string> control_char_message(std::string_view text,
                                                std::string_view allowed,
                                                std::string_view rule) {
  auto at = control_char(text, allowed);
  if (at == std::string_view::npos)
    return std::nullopt;
  return fmt::format("control character U+{:04X} at character {} of {} ({})",
                     static_cast<unsigned>(static_cast<unsigned char>(text[at])),
                     character_number(text, at), quoted(text), rule);
}

} // namespace execsim
