// A private temporary directory for the bench's databases and data files,
// removed with everything in it when the bench ends.
#pragma once

#include <string>

namespace execsim::bench {

class scratch_dir {
public:
  /// Creates $TMPDIR/execsim-bench-XXXXXX; throws std::runtime_error if it
  /// cannot.
  scratch_dir();
  ~scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  const std::string& path() const noexcept {
    return path_;
  }

  /// path()/name
  std::string file(const std::string& name) const {
    return path_ + "/" + name;
  }

private:
  std::string path_;
};

} // namespace execsim::bench
