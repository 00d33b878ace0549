// execsim's assertion: stays on in every build (NDEBUG does not remove it),
// as TigerBeetle's do. A broken invariant inside execsim stops the program at
// once with the file, line and condition, instead of corrupting a run that
// would then be recorded as if it were true. Use it where state changes:
// what must hold before, and after. Input from users (scenario files,
// plug-ins, CSV) is never asserted on: it gets an error message.
#pragma once

namespace execsim::detail {

/// Prints "execsim: assertion failed: <cond> (<file>:<line>)" and aborts.
[[noreturn]] void assertion_failed(const char* condition, const char* file,
                                   int line) noexcept;

} // namespace execsim::detail

#define EXECSIM_ASSERT(condition)                                              \
  (static_cast<bool>(condition)                                                \
     ? static_cast<void>(0)                                                    \
     : ::execsim::detail::assertion_failed(#condition, __FILE__, __LINE__))
