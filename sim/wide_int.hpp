// 128-bit integers for exact intermediate products (GCC/Clang extension;
// __extension__ keeps -Wpedantic quiet).
#pragma once

namespace execsim {

__extension__ typedef __int128 int128_t;
__extension__ typedef unsigned __int128 uint128_t;

} // namespace execsim
