#include "sim/scenario_paths.hpp"

#include <filesystem>

namespace execsim {

namespace fs = std::filesystem;

namespace {

fs::path scenario_dir(const std::string& scenario_file) {
  return fs::path(scenario_file).parent_path();
}

/// `target` (an existing path) as a file in `written_in` names it:
/// relative to that directory, or absolute when it is empty.
std::string path_from(const fs::path& target, const std::string& written_in) {
  std::error_code ec;
  auto absolute = fs::absolute(target, ec).lexically_normal();
  if (written_in.empty())
    return absolute.string();
  auto base = fs::weakly_canonical(fs::absolute(written_in, ec), ec);
  auto real = fs::weakly_canonical(absolute, ec);
  auto rel = real.lexically_relative(base);
  return rel.empty() ? absolute.string() : rel.string();
}

} // namespace

bool names_file_beside(const std::vector<std::string>& argv, std::size_t i,
                       const std::string& scenario_file) {
  if (i >= argv.size() || argv[i].empty())
    return false;
  fs::path p(argv[i]);
  auto dir = scenario_dir(scenario_file);
  std::error_code ec;
  return !p.is_absolute() && !dir.empty() && fs::exists(dir / p, ec)
         && (i > 0 || argv[i].find('/') != std::string::npos);
}

std::vector<std::string>
resolve_command(const std::vector<std::string>& argv,
                const std::string& scenario_file) {
  auto dir = scenario_dir(scenario_file);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < argv.size(); ++i)
    out.push_back(names_file_beside(argv, i, scenario_file)
                    ? (dir / argv[i]).string()
                    : argv[i]);
  return out;
}

std::vector<std::string>
portable_command(const std::vector<std::string>& argv,
                 const std::string& scenario_file,
                 const std::string& written_in) {
  auto dir = scenario_dir(scenario_file);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (!names_file_beside(argv, i, scenario_file)) {
      out.push_back(argv[i]);
      continue;
    }
    auto path = path_from(dir / argv[i], written_in);
    // The program needs its '/' to be resolved, not searched on PATH.
    if (i == 0 && path.find('/') == std::string::npos)
      path = "./" + path;
    out.push_back(std::move(path));
  }
  return out;
}

std::string portable_factory(const std::string& factory,
                             const std::string& scenario_file,
                             const std::string& written_in) {
  auto colon = factory.find(':');
  if (scenario_file.empty() || colon == std::string::npos
      || factory.find('/') < colon)
    return factory;
  std::error_code ec;
  auto dir = fs::absolute(scenario_file, ec).parent_path();
  auto module = factory.substr(0, colon);
  auto top = module.substr(0, module.find('.'));
  if (!fs::exists(dir / (top + ".py"), ec) && !fs::is_directory(dir / top, ec))
    return factory;
  auto where = path_from(dir, written_in);
  if (where == ".")
    return factory; // beside the written file too
  return (fs::path(where) / module).string() + factory.substr(colon);
}

std::string recorded_file_path(const std::string& scenario_file) {
  if (scenario_file.empty())
    return scenario_file;
  std::error_code ec;
  auto absolute = fs::absolute(scenario_file, ec);
  return ec ? scenario_file : absolute.lexically_normal().string();
}

} // namespace execsim
