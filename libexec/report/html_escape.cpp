#include "libexec/report/html_escape.hpp"

#include "libexec/report/terminal_text.hpp"

namespace execsim::cli {

std::string html_escape(std::string_view text) {
  auto visible = terminal_text(text);
  std::string out;
  out.reserve(visible.size());
  for (char c : visible) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

} // namespace execsim::cli
