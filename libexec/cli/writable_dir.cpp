#include "libexec/cli/writable_dir.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace execsim::cli {

namespace fs = std::filesystem;

std::string writable_dir_problem(const std::string& dir) {
  auto p = fs::absolute(dir).lexically_normal();
  std::error_code ec;
  while (!fs::exists(p, ec) && p.has_parent_path() && p != p.parent_path())
    p = p.parent_path();
  if (!fs::is_directory(p, ec))
    return fmt::format("{} is not a directory", p.string());
  // Permission bits do not tell (root, read-only mounts, ACLs): try it.
  auto probe = (p / ".execsim-probe-XXXXXX").string();
  int fd = ::mkstemp(probe.data());
  if (fd < 0)
    return fmt::format("cannot create files in {}: {}", p.string(),
                       std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
  return {};
}

} // namespace execsim::cli
