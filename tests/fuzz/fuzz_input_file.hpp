// The fuzz targets for file readers read a path: this puts the input into
// an in-memory file (memfd) and names it /proc/self/fd/N, so nothing touches
// the disk and the reader runs exactly as on a real file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace execsim::fuzz {

/// Replaces the in-memory file's content with `data` and returns its path.
inline std::string input_file(const std::uint8_t* data, std::size_t size) {
  static const int fd = memfd_create("execsim-fuzz", 0);
  if (fd < 0 || ftruncate(fd, 0) != 0) {
    std::perror("execsim-fuzz: memfd");
    std::abort();
  }
  std::size_t done = 0;
  while (done < size) {
    auto n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) {
      std::perror("execsim-fuzz: pwrite");
      std::abort();
    }
    done += static_cast<std::size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

} // namespace execsim::fuzz
