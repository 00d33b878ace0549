// The harness reads execsim's messages whole lines at a time: a read that
// ends inside a line, even inside a UTF-8 sequence, leaves that tail for
// the next read, and each line decodes to what json.loads gives (spaces
// around it included).
#include "tests/test_support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>

using execsim::testing::scratch_dir;
using execsim::testing::slurp;

TEST_CASE("the harness decodes messages split across reads",
          "[asyncio][protocol]") {
  scratch_dir dir;
  // os.read replaced by a list of chunks: the cuts fall inside a UTF-8
  // sequence (é is C3 A9), inside a key, and after a whole line.
  auto script = dir.write("split.py", R"(import sys, types, os
sys.path.insert(0, sys.argv[1])
from execsim_asyncio import protocol
chunks = [b'{"type":"timer","order_id":"\xc3', b'\xa9"}\n{"type":"a"}\n{"typ',
          b'e":"b", "x": [1, 2] } \n', b'\n', b'{"type":"c"}', b'']
protocol.os = types.SimpleNamespace(read=lambda fd, n: chunks.pop(0),
                                    write=os.write)
print(list(protocol.messages()))
)");
  auto out = dir.file("out.txt");
  auto cmd = fmt::format("/usr/bin/env python3 {} {}/python > {} 2>&1", script,
                         EXECSIM_SOURCE_DIR, out);
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(slurp(out)
        == "[{'type': 'timer', 'order_id': 'é'}, {'type': 'a'}, "
           "{'type': 'b', 'x': [1, 2]}, {'type': 'c'}]\n");
}
