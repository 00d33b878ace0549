// terminal_text: what a recording holds, safe for a terminal.
#include "libexec/report/terminal_text.hpp"

#include <catch2/catch.hpp>

#include <string>

using execsim::terminal_text;

TEST_CASE("terminal_text escapes controls and broken UTF-8, keeps the rest",
          "[report][input_edges]") {
  CHECK(terminal_text("plain o1, T1") == "plain o1, T1");
  CHECK(terminal_text("two\nlines\tand a tab") == "two\nlines\tand a tab");
  CHECK(terminal_text(std::string{"a\0b", 3}) == "a\\u0000b");
  CHECK(terminal_text("\x1b[31mred\r") == "\\u001b[31mred\\u000d");
  CHECK(terminal_text("del\x7f") == "del\\u007f");
  // C1 controls: U+009B is a one-character CSI on some terminals.
  CHECK(terminal_text("\xc2\x9b" "2J") == "\\u009b2J");
  CHECK(terminal_text("\xc2\xa0nbsp") == "\xc2\xa0nbsp");
  CHECK(terminal_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x88")
        == "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x88");
  // Not UTF-8: a stray continuation byte, a truncated sequence, an overlong
  // form, a surrogate.
  CHECK(terminal_text("\xff") == "\\xff");
  CHECK(terminal_text("a\x80z") == "a\\x80z");
  CHECK(terminal_text("\xe2\x82") == "\\xe2\\x82");
  CHECK(terminal_text("\xc0\xaf") == "\\xc0\\xaf");
  CHECK(terminal_text("\xed\xa0\x80") == "\\xed\\xa0\\x80");
}
