#include "sim/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace execsim::detail {

void assertion_failed(const char* condition, const char* file,
                      int line) noexcept {
  std::fprintf(stderr, "execsim: assertion failed: %s (%s:%d)\n", condition,
               file, line);
  std::fflush(stderr);
  std::abort();
}

} // namespace execsim::detail
