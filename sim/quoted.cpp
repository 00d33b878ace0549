#include "sim/quoted.hpp"

#include "sim/json_text.hpp"

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
  append_json_escaped(out, shown);
  if (shown.size() < text.size())
    out += "...";
  out += '"';
  return out;
}

} // namespace execsim
