#include "sim/quoted.hpp"

#include <fmt/format.h>

namespace execsim {

namespace {

// Long strings are cut in messages so one line stays readable.
constexpr std::size_t quoted_max = 60;

} // namespace

std::string quoted(std::string_view text) {
  std::string out = "\"";
  auto shown = text.substr(0, quoted_max);
  // Never cut a UTF-8 sequence in half: back up over continuation bytes.
  while (shown.size() < text.size() && !shown.empty()
         && (static_cast<unsigned char>(text[shown.size()]) & 0xC0) == 0x80)
    shown.remove_suffix(1);
  for (char c : shown) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(c));
        else
          out += c;
    }
  }
  if (shown.size() < text.size())
    out += "...";
  out += '"';
  return out;
}

} // namespace execsim
