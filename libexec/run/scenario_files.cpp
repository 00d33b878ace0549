#include "libexec/run/scenario_files.hpp"

#include <algorithm>
#include <filesystem>

namespace execsim::cli {

namespace fs = std::filesystem;

std::vector<std::string> scenario_files(const std::vector<std::string>& paths,
                                        std::vector<std::string>& missing) {
  std::vector<std::string> given = paths;
  if (given.empty())
    given.emplace_back("scenarios");
  std::vector<std::string> out;
  for (const auto& p : given) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        // A venues/ directory holds venue profiles, which are not runs.
        if (it->is_directory(ec) && it->path().filename() == "venues")
          it.disable_recursion_pending();
        else if (it->is_regular_file(ec) && it->path().extension() == ".toml")
          found.push_back(it->path().lexically_normal().string());
      // Directory order is the file system's: sort for a stable run order.
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      missing.push_back(p);
    }
  }
  return out;
}

} // namespace execsim::cli
