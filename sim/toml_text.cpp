#include "sim/toml_text.hpp"

#include <fmt/format.h>

namespace execsim {

namespace {

/// Appends `c` escaped for a basic string; `keep_newline` in a multi-line
/// one, where a line break stands for itself.
void append_escaped(std::string& out, char c, bool keep_newline) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += keep_newline ? "\n" : "\\n"; return;
    default: break;
  }
  auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7F)
    out += fmt::format("\\u{:04X}", u);
  else
    out += c;
}

} // namespace

std::string toml_string(std::string_view text) {
  const bool multi = text.find('\n') != std::string_view::npos;
  // A multi-line string's first line break right after the quotes is
  // dropped by the parser: the one written here is that one.
  std::string out = multi ? "\"\"\"\n" : "\"";
  for (char c : text)
    append_escaped(out, c, multi);
  out += multi ? "\"\"\"" : "\"";
  return out;
}

std::string toml_float(double x) {
  auto text = fmt::format("{}", x);
  if (text.find_first_of(".eEin") == std::string::npos)
    text += ".0";
  return text;
}

std::string toml_strings(const std::vector<std::string>& xs) {
  if (xs.empty())
    return "[]";
  std::string out = "[";
  for (std::size_t i = 0; i < xs.size(); ++i)
    out += (i == 0 ? "" : ", ") + toml_string(xs[i]);
  return out + "]";
}

std::string
toml_inline(const std::vector<std::pair<std::string, std::string>>& kv) {
  if (kv.empty())
    return "{}";
  std::string out = "{ ";
  for (std::size_t i = 0; i < kv.size(); ++i)
    out += (i == 0 ? "" : ", ") + toml_key(kv[i].first) + " = "
           + kv[i].second;
  return out + " }";
}

std::string toml_key(std::string_view key) {
  bool bare = !key.empty();
  for (char c : key)
    bare = bare
           && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
               || (c >= '0' && c <= '9') || c == '_' || c == '-');
  return bare ? std::string{key} : toml_string(key);
}

} // namespace execsim
