// What many tests need: a scratch directory that cleans up after itself,
// and a file's whole text.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace execsim::testing {

/// A fresh directory per test, removed with everything in it.
class scratch_dir {
public:
  scratch_dir() {
    auto pattern =
      (std::filesystem::temp_directory_path() / "execsim_test_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~scratch_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  std::string path() const {
    return path_.string();
  }

  std::string file(const std::string& name) const {
    return (path_ / name).string();
  }

  /// Writes `text` to `name` in the directory; returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    auto p = file(name);
    std::ofstream(p, std::ios::trunc) << text;
    return p;
  }

private:
  std::filesystem::path path_;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace execsim::testing
