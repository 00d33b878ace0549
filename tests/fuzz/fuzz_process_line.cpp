// libFuzzer target: one line a process executor wrote, through the
// protocol-line parser (actors/process/protocol_line.hpp). Whatever the
// bytes, it returns a parsed line or an error sentence, never crashes; and
// what it shows of the line in errors is printable UTF-8.
#include "actors/process/protocol_line.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto line = execsim::parse_protocol_line(text, error);
  if (!line && error.empty())
    std::abort(); // a refused line always says why
  if (line && line->what == execsim::protocol_line::kind::action
      && line->order_id.empty())
    std::abort(); // an action always names its order
  auto shown = execsim::shown_line(text);
  for (unsigned char c : shown)
    if ((c < 0x20 && c != '\t') || c == 0x7F)
      std::abort(); // control bytes are escaped: one printable line
  return 0;
}
