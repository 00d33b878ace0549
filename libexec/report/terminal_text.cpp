#include "libexec/report/terminal_text.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace execsim {

namespace {

/// Length of the well-formed UTF-8 sequence at `i` (1 to 4), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint8_t>(s[k]);
  };
  auto lead = byte(i);
  std::size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2
                                  : (lead >> 4) == 0xe ? 3
                                  : (lead >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size() || (n == 2 && lead < 0xc2))
    return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80)
      return 0;
  // Overlong 3- and 4-byte forms, surrogates and code points past U+10FFFF.
  if (n == 3 && ((lead == 0xe0 && byte(i + 1) < 0xa0)
                 || (lead == 0xed && byte(i + 1) >= 0xa0)))
    return 0;
  if (n == 4 && ((lead == 0xf0 && byte(i + 1) < 0x90) || lead > 0xf4
                 || (lead == 0xf4 && byte(i + 1) >= 0x90)))
    return 0;
  return n;
}

} // namespace

std::string terminal_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<std::uint8_t>(text[i]);
    auto n = utf8_length(text, i);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    if (n == 1 && ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)) {
      out += fmt::format("\\u{:04x}", c);
    } else if (n == 2 && c == 0xc2
               && static_cast<std::uint8_t>(text[i + 1]) < 0xa0) {
      out += fmt::format("\\u{:04x}", static_cast<std::uint8_t>(text[i + 1]));
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

} // namespace execsim
