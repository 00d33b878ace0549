#include "libexec/bench/scratch_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace execsim::bench {

scratch_dir::scratch_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
    std::string(tmp && *tmp ? tmp : "/tmp") + "/execsim-bench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("cannot create a directory like " + pattern + ": "
                             + std::strerror(errno));
  path_ = pattern;
}

scratch_dir::~scratch_dir() {
  std::error_code ignored; // a leftover temp dir is no reason to fail
  std::filesystem::remove_all(path_, ignored);
}

} // namespace execsim::bench
